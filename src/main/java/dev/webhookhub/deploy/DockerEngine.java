package dev.webhookhub.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The few Docker Engine API operations a deployment needs (build, push, Swarm service inspect/create/update, tasks),
 * over HTTP to {@code DOCKER_HOST=tcp://host:port}, paths prefixed with the API version ({@code /v1.44/...}).
 * Streamed answers (build, push) are read a JSON line at a time and handed on as they come; a line with
 * {@code errorDetail} (or {@code error}) fails the operation with its message.
 */
public final class DockerEngine {

    /** The daemon answered with an error, or a streamed operation reported one. */
    public static final class DockerException extends IOException {
        private final int status;

        public DockerException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final URI base;
    private final String registryAuth;
    private final ObjectMapper mapper;
    private final HttpClient http;

    /**
     * @param dockerHost {@code tcp://host:port} (or http://host:port)
     * @param apiVersion e.g. {@code 1.44}; blank: unversioned paths
     */
    public DockerEngine(String dockerHost, String apiVersion, String registryUrl, String registryUser,
            String registryPassword, ObjectMapper mapper) {
        String hostPort = dockerHost.replaceFirst("^(tcp|http)://", "");
        if (hostPort.endsWith("/")) {
            hostPort = hostPort.substring(0, hostPort.length() - 1);
        }
        String version = apiVersion == null || apiVersion.isBlank() ? "" : "/v" + apiVersion.replaceFirst("^v", "");
        this.base = URI.create("http://" + hostPort + version);
        this.mapper = mapper;
        ObjectNode auth = mapper.createObjectNode();
        auth.put("username", registryUser == null ? "" : registryUser);
        auth.put("password", registryPassword == null ? "" : registryPassword);
        auth.put("serveraddress", registryUrl == null ? "" : registryUrl);
        this.registryAuth = Base64.getUrlEncoder().encodeToString(auth.toString().getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Whether DOCKER_HOST names a daemon this client can reach (tcp:// or http://). */
    public static boolean supports(String dockerHost) {
        return dockerHost != null && dockerHost.matches("^(tcp|http)://[^/]+/?$");
    }

    /** GET /_ping: the API version the daemon speaks (its {@code Api-Version} header). */
    public String ping() throws IOException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/_ping", null)).GET(), Duration.ofSeconds(10));
        check(r.statusCode(), r.body());
        return r.headers().firstValue("Api-Version").orElse("");
    }

    /** POST /build with a tar context; every output line goes to {@code log}. */
    public void build(Path contextTar, String tag, Map<String, String> query, Consumer<String> log, Duration timeout,
            BuildCancel cancel) throws IOException {
        StringBuilder q = new StringBuilder("t=").append(enc(tag));
        query.forEach((k, v) -> q.append('&').append(k).append('=').append(enc(v)));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/build", q.toString()))
                .header("Content-Type", "application/x-tar")
                .POST(HttpRequest.BodyPublishers.ofFile(contextTar));
        boolean[] built = { false };
        streamed(b, timeout, cancel, line -> {
            if (line.startsWith("Successfully built ") || line.startsWith("Successfully tagged ")) {
                built[0] = true;
            }
            log.accept(line);
        });
        if (!built[0]) {
            throw new DockerException(200, "the build ended without an image (the daemon stopped answering?)");
        }
    }

    /** POST /images/load with an image tarball (docker save / nixpkgs dockerTools); returns the image it loaded. */
    public String load(Path tarball, Consumer<String> log, Duration timeout, BuildCancel cancel) throws IOException {
        String[] loaded = { null };
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/images/load", "quiet=0"))
                .header("Content-Type", "application/x-tar")
                .POST(HttpRequest.BodyPublishers.ofFile(tarball));
        streamed(b, timeout, cancel, line -> {
            if (line.startsWith("Loaded image: ")) {
                loaded[0] = line.substring("Loaded image: ".length()).strip();
            }
            log.accept(line);
        });
        if (loaded[0] == null) {
            throw new DockerException(200, "the daemon loaded no tagged image from " + tarball.getFileName());
        }
        return loaded[0];
    }

    /** POST /images/{name}/tag?repo=...&tag=... */
    public void tag(String image, String target) throws IOException {
        int colon = target.lastIndexOf(':');
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/images/" + image + "/tag", "repo="
                + enc(target.substring(0, colon)) + "&tag=" + enc(target.substring(colon + 1))))
                .POST(HttpRequest.BodyPublishers.noBody()), Duration.ofSeconds(30));
        check(r.statusCode(), r.body());
    }

    /** POST /images/{name}/push with the registry credentials; every output line goes to {@code log}. */
    public void push(String image, Consumer<String> log, Duration timeout, BuildCancel cancel) throws IOException {
        int colon = image.lastIndexOf(':');
        boolean hasTag = colon > image.lastIndexOf('/');
        String name = hasTag ? image.substring(0, colon) : image;
        String tag = hasTag ? image.substring(colon + 1) : "latest";
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/images/" + name + "/push", "tag=" + enc(tag)))
                .header("X-Registry-Auth", registryAuth)
                .POST(HttpRequest.BodyPublishers.noBody());
        streamed(b, timeout, cancel, log);
    }

    /** GET /services/{name}: the service, or empty when there is none (404). */
    public Optional<JsonNode> inspectService(String name) throws IOException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/services/" + enc(name), null)).GET(),
                Duration.ofSeconds(30));
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        check(r.statusCode(), r.body());
        return Optional.of(mapper.readTree(r.body()));
    }

    /** POST /services/create; returns the new service's ID. */
    public String createService(JsonNode spec) throws IOException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/services/create", null))
                .header("Content-Type", "application/json").header("X-Registry-Auth", registryAuth)
                .POST(HttpRequest.BodyPublishers.ofString(spec.toString())), Duration.ofSeconds(30));
        check(r.statusCode(), r.body());
        return mapper.readTree(r.body()).path("ID").asText();
    }

    /** POST /services/{id}/update?version=... with the whole new spec. */
    public void updateService(String id, long version, JsonNode spec) throws IOException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/services/" + enc(id) + "/update",
                "version=" + version)).header("Content-Type", "application/json")
                .header("X-Registry-Auth", registryAuth)
                .POST(HttpRequest.BodyPublishers.ofString(spec.toString())), Duration.ofSeconds(30));
        check(r.statusCode(), r.body());
    }

    /** GET /tasks?filters={"service":[name]}. */
    public List<JsonNode> tasks(String serviceName) throws IOException {
        ObjectNode filters = mapper.createObjectNode();
        filters.putArray("service").add(serviceName);
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/tasks", "filters=" + enc(filters.toString())))
                .GET(), Duration.ofSeconds(30));
        check(r.statusCode(), r.body());
        List<JsonNode> out = new ArrayList<>();
        mapper.readTree(r.body()).forEach(out::add);
        return out;
    }

    /**
     * Sends a request whose answer is JSON lines, handing each line on as it arrives. The whole answer must come
     * within {@code timeout}; otherwise (or when the thread is interrupted) the connection is dropped, which makes
     * the daemon cancel the build or push, and the operation fails with a clear message.
     */
    private void streamed(HttpRequest.Builder b, Duration timeout, BuildCancel cancel, Consumer<String> log)
            throws IOException {
        JsonLines sink = new JsonLines(log);
        CompletableFuture<HttpResponse<Void>> future = http.sendAsync(b.build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(sink));
        if (cancel != null) {
            cancel.onCancel(() -> {
                sink.cancel();
                future.cancel(true);
            });
        }
        HttpResponse<Void> r;
        try {
            r = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.CancellationException e) {
            throw new DockerException(0, "cancelled");
        } catch (TimeoutException e) {
            sink.cancel();
            future.cancel(true);
            throw new DockerException(0, "timed out after " + timeout.toSeconds() + " s (HUB_BUILD_TIMEOUT)");
        } catch (InterruptedException e) {
            sink.cancel();
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
        if (r.statusCode() >= 300) {
            throw new DockerException(r.statusCode(), message(sink.raw()));
        }
        if (sink.error() != null) {
            throw new DockerException(200, sink.error());
        }
    }

    /** Reads a JSON-lines answer as it arrives: progress to the log, the first error kept. */
    private final class JsonLines implements Flow.Subscriber<String> {
        private final Consumer<String> log;
        private final StringBuilder raw = new StringBuilder();
        private volatile Flow.Subscription subscription;
        private volatile String error;

        JsonLines(Consumer<String> log) {
            this.log = log;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isBlank()) {
                return;
            }
            if (raw.length() < 4096) {
                raw.append(line).append('\n');
            }
            try {
                JsonNode n = mapper.readTree(line);
                if (n.hasNonNull("stream")) {
                    log.accept(stripNewline(n.get("stream").asText()));
                } else if (n.hasNonNull("status")) {
                    log.accept(n.get("status").asText() + (n.hasNonNull("progress") ? " "
                            + n.get("progress").asText() : "") + (n.hasNonNull("id") ? " " + n.get("id").asText()
                            : ""));
                }
                if (n.has("errorDetail") || n.hasNonNull("error")) {
                    String m = n.path("errorDetail").path("message").asText(n.path("error").asText("error"));
                    log.accept("ERROR: " + m);
                    if (error == null) {
                        error = m;
                    }
                }
            } catch (IOException | RuntimeException e) {
                log.accept(line);
            }
        }

        @Override
        public void onError(Throwable t) {
            // the future fails with it
        }

        @Override
        public void onComplete() {
            // the future completes
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        String error() {
            return error;
        }

        String raw() {
            return raw.toString();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder b, Duration timeout) throws IOException {
        try {
            return http.send(b.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void check(int status, String body) throws DockerException {
        if (status >= 300) {
            throw new DockerException(status, message(body));
        }
    }

    private String message(String body) {
        try {
            JsonNode n = mapper.readTree(body);
            if (n != null && n.hasNonNull("message")) {
                return n.get("message").asText();
            }
        } catch (IOException e) {
            // not JSON
        }
        return body == null || body.isBlank() ? "no message" : body.strip();
    }

    private URI uri(String path, String query) {
        return URI.create(base + path + (query == null ? "" : "?" + query));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
