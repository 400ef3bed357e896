package dev.webhookhub.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.deploy.DockerTransport.Body;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The few Docker Engine API operations a deployment needs (build, push, Swarm service inspect/create/update, tasks),
 * over HTTP/1.1 to {@code DOCKER_HOST} ({@link DockerTransport}: unix socket, tcp, tcp with TLS), paths prefixed
 * with the API version ({@code /v1.44/...}).
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

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "docker-call-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final DockerTransport transport;
    private final String prefix;
    private final String registryAuth;
    private final ObjectMapper mapper;

    /**
     * @param transport  the daemon's socket (unix, tcp, tcp with TLS)
     * @param apiVersion e.g. {@code 1.44}; blank: unversioned paths
     */
    public DockerEngine(DockerTransport transport, String apiVersion, String registryUrl, String registryUser,
            String registryPassword, ObjectMapper mapper) {
        this.transport = transport;
        this.prefix = apiVersion == null || apiVersion.isBlank() ? "" : "/v" + apiVersion.replaceFirst("^v", "");
        this.mapper = mapper;
        ObjectNode auth = mapper.createObjectNode();
        auth.put("username", registryUser == null ? "" : registryUser);
        auth.put("password", registryPassword == null ? "" : registryPassword);
        auth.put("serveraddress", registryUrl == null ? "" : registryUrl);
        this.registryAuth = Base64.getUrlEncoder().encodeToString(auth.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Whether DOCKER_HOST names a daemon this client can reach (unix://, tcp://, http://, https://). */
    public static boolean supports(String dockerHost) {
        return DockerTransport.supports(dockerHost);
    }

    /** GET /_ping: the API version the daemon speaks (its {@code Api-Version} header). */
    public String ping() throws IOException {
        Answer r = call("GET", "/_ping", null, Map.of(), Body.none(), Duration.ofSeconds(10));
        check(r.status(), r.body());
        return r.apiVersion() == null ? "" : r.apiVersion();
    }

    /** GET /version: the daemon's version document. */
    public JsonNode version() throws IOException {
        Answer r = call("GET", "/version", null, Map.of(), Body.none(), Duration.ofSeconds(10));
        check(r.status(), r.body());
        return mapper.readTree(r.body());
    }

    /** POST /build with a tar context; every output line goes to {@code log}. */
    public void build(Path contextTar, String tag, Map<String, String> query, Consumer<String> log, Duration timeout,
            BuildCancel cancel) throws IOException {
        StringBuilder q = new StringBuilder("t=").append(enc(tag));
        query.forEach((k, v) -> q.append('&').append(k).append('=').append(enc(v)));
        boolean[] built = { false };
        streamed("/build", q.toString(), Map.of(), new Body.File(contextTar, "application/x-tar"), timeout, cancel,
                line -> {
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
        streamed("/images/load", "quiet=0", Map.of(), new Body.File(tarball, "application/x-tar"), timeout, cancel,
                line -> {
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
        Answer r = call("POST", "/images/" + image + "/tag", "repo=" + enc(target.substring(0, colon)) + "&tag="
                + enc(target.substring(colon + 1)), Map.of(), Body.none(), Duration.ofSeconds(30));
        check(r.status(), r.body());
    }

    /** POST /images/{name}/push with the registry credentials; every output line goes to {@code log}. */
    public void push(String image, Consumer<String> log, Duration timeout, BuildCancel cancel) throws IOException {
        int colon = image.lastIndexOf(':');
        boolean hasTag = colon > image.lastIndexOf('/');
        String name = hasTag ? image.substring(0, colon) : image;
        String tag = hasTag ? image.substring(colon + 1) : "latest";
        streamed("/images/" + name + "/push", "tag=" + enc(tag), Map.of("X-Registry-Auth", registryAuth),
                Body.none(), timeout, cancel, log);
    }

    /** GET /services/{name}: the service, or empty when there is none (404). */
    public Optional<JsonNode> inspectService(String name) throws IOException {
        Answer r = call("GET", "/services/" + enc(name), null, Map.of(), Body.none(), Duration.ofSeconds(30));
        if (r.status() == 404) {
            return Optional.empty();
        }
        check(r.status(), r.body());
        return Optional.of(mapper.readTree(r.body()));
    }

    /** POST /services/create; returns the new service's ID. */
    public String createService(JsonNode spec) throws IOException {
        Answer r = call("POST", "/services/create", null, Map.of("X-Registry-Auth", registryAuth), json(spec),
                Duration.ofSeconds(30));
        check(r.status(), r.body());
        return mapper.readTree(r.body()).path("ID").asText();
    }

    /** POST /services/{id}/update?version=... with the whole new spec. */
    public void updateService(String id, long version, JsonNode spec) throws IOException {
        Answer r = call("POST", "/services/" + enc(id) + "/update", "version=" + version,
                Map.of("X-Registry-Auth", registryAuth), json(spec), Duration.ofSeconds(30));
        check(r.status(), r.body());
    }

    /**
     * POST /services/{id}/update?version=...&rollback=previous: Swarm puts the service's PreviousSpec back. The body
     * is the current spec (the daemon ignores it for a rollback, but the API requires one).
     */
    public void rollbackService(String id, long version, JsonNode currentSpec) throws IOException {
        Answer r = call("POST", "/services/" + enc(id) + "/update", "version=" + version + "&rollback=previous",
                Map.of("X-Registry-Auth", registryAuth), json(currentSpec), Duration.ofSeconds(30));
        check(r.status(), r.body());
    }

    /** GET /tasks?filters={"service":[name]}. */
    public List<JsonNode> tasks(String serviceName) throws IOException {
        ObjectNode filters = mapper.createObjectNode();
        filters.putArray("service").add(serviceName);
        Answer r = call("GET", "/tasks", "filters=" + enc(filters.toString()), Map.of(), Body.none(),
                Duration.ofSeconds(30));
        check(r.status(), r.body());
        List<JsonNode> out = new ArrayList<>();
        mapper.readTree(r.body()).forEach(out::add);
        return out;
    }

    /** What this client connects to (for logs and health). */
    public String describe() {
        return transport.describe();
    }

    private record Answer(int status, String body, String apiVersion) {
    }

    private static Body json(JsonNode n) {
        return new Body.Bytes(n.toString().getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** A request whose whole answer is read; the connection is dropped when it takes longer than {@code timeout}. */
    private Answer call(String method, String path, String query, Map<String, String> headers, Body body,
            Duration timeout) throws IOException {
        Guard g = new Guard(timeout, null, method + " " + path);
        try {
            try (DockerTransport.Exchange x = transport.open(method, target(path, query), headers, body, g::connected)) {
                return new Answer(x.status(), x.text(), x.header("Api-Version"));
            }
        } catch (IOException e) {
            throw g.explain(e);
        } finally {
            g.done();
        }
    }

    /**
     * A POST whose answer is JSON lines, handing each line on as it arrives. The whole answer must come within
     * {@code timeout}; otherwise (or when cancelled, or when the thread is interrupted) the connection is dropped,
     * which makes the daemon cancel the build or push, and the operation fails with a clear message.
     */
    private void streamed(String path, String query, Map<String, String> headers, Body body, Duration timeout,
            BuildCancel cancel, Consumer<String> log) throws IOException {
        Guard g = new Guard(timeout, cancel, null);
        JsonLines sink = new JsonLines(log);
        try {
            try (DockerTransport.Exchange x = transport.open("POST", target(path, query), headers, body,
                    g::connected)) {
                BufferedReader r = new BufferedReader(new InputStreamReader(x.body(), StandardCharsets.UTF_8));
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    sink.onNext(line);
                }
                if (x.status() >= 300) {
                    throw new DockerException(x.status(), message(sink.raw()));
                }
            }
        } catch (DockerException e) {
            throw e;
        } catch (IOException e) {
            throw g.explain(e);
        } finally {
            g.done();
        }
        if (sink.error() != null) {
            throw new DockerException(200, sink.error());
        }
    }

    /**
     * Watches one call: drops its connection when the time is up, when the build is cancelled, or when the calling
     * thread is interrupted (the hub is stopping), and turns the resulting I/O error into a clear one.
     */
    private static final class Guard {
        private final Thread caller = Thread.currentThread();
        private final long deadline;
        private final Duration timeout;
        private final BuildCancel cancel;
        /** The request, for a timeout's message; null for a build or push (HUB_BUILD_TIMEOUT). */
        private final String request;
        private final ScheduledFuture<?> watch;
        private volatile Closeable connection;
        private volatile String reason;

        Guard(Duration timeout, BuildCancel cancel, String request) {
            this.timeout = timeout;
            this.request = request;
            this.deadline = System.nanoTime() + timeout.toNanos();
            this.cancel = cancel;
            if (cancel != null) {
                cancel.onCancel(() -> drop("cancelled"));
            }
            this.watch = WATCHDOG.scheduleWithFixedDelay(this::check, 100, 100, TimeUnit.MILLISECONDS);
        }

        private void check() {
            if (System.nanoTime() - deadline >= 0) {
                drop("timed out");
            } else if (caller.isInterrupted()) {
                drop("interrupted");
            }
        }

        void connected(Closeable c) {
            connection = c;
            if (reason != null) {
                close(c);
            }
        }

        private synchronized void drop(String why) {
            if (reason == null) {
                reason = why;
            }
            Closeable c = connection;
            if (c != null) {
                close(c);
            }
        }

        void done() {
            watch.cancel(false);
        }

        IOException explain(IOException e) {
            String why = reason;
            if (why == null && cancel != null && cancel.cancelled()) {
                why = "cancelled";
            }
            if (why == null) {
                return e;
            }
            return switch (why) {
                case "timed out" -> new DockerException(0, request == null ? "timed out after "
                        + timeout.toSeconds() + " s (HUB_BUILD_TIMEOUT)" : "the Docker daemon did not answer " + request
                        + " within " + timeout.toSeconds() + " s");
                case "cancelled" -> new DockerException(0, "cancelled");
                default -> new IOException("interrupted", e);
            };
        }

        private static void close(Closeable c) {
            try {
                c.close();
            } catch (IOException ignored) {
                // dropping it anyway
            }
        }
    }

    /** Reads a JSON-lines answer as it arrives: progress to the log, the first error kept. */
    private final class JsonLines {
        private final Consumer<String> log;
        private final StringBuilder raw = new StringBuilder();
        private String error;

        JsonLines(Consumer<String> log) {
            this.log = log;
        }

        void onNext(String line) {
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

        String error() {
            return error;
        }

        String raw() {
            return raw.toString();
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

    private String target(String path, String query) {
        return prefix + path + (query == null ? "" : "?" + query);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
