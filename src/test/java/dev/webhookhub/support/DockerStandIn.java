package dev.webhookhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A stand-in Docker daemon on a local port, speaking the parts of the Docker Engine API (v1.56,
 * ../shared/reference/docker-engine-api-v1.56.yaml) a deployment uses: {@code /_ping}, {@code /version},
 * {@code /build} (tar context in, JSON lines out, {@code errorDetail} on failure), {@code /images/load},
 * {@code /images/{name}/tag}, {@code /images/{name}/push}, {@code /services/create}, {@code /services/{id}},
 * {@code /services/{id}/update}, {@code /tasks?filters=}. Paths may carry a version prefix ({@code /v1.44/...}).
 * Swarm services are kept in memory; their tasks run the service's current image, or fail when a script says so.
 * Scriptable per test: failing builds, blocked builds, failing images, failing updates. Every call is recorded.
 */
public final class DockerStandIn implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern VERSION = Pattern.compile("^/v\\d+\\.\\d+(/.*)$");

    /** A build the daemon was asked for. */
    public record Build(String tag, List<String> files, Map<String, String> query, String dockerfile) {
    }

    /** A push: the image and the decoded X-Registry-Auth. */
    public record Push(String image, JsonNode auth) {
    }

    /** A service update: the service, the version given, the new image. */
    public record Update(String service, long version, String image) {
    }

    private static final class SwarmService {
        final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 25);
        final String name;
        final Instant created = Instant.now();
        long version = 1;
        ObjectNode spec;
        /** The spec before the last update (Swarm's PreviousSpec), null before the first update. */
        ObjectNode previousSpec;
        final List<ObjectNode> oldTasks = new ArrayList<>();

        SwarmService(String name, ObjectNode spec) {
            this.name = name;
            this.spec = spec;
        }

        String image() {
            return spec.path("TaskTemplate").path("ContainerSpec").path("Image").asText();
        }
    }

    private final HttpServer server;
    private final Map<String, SwarmService> services = new LinkedHashMap<>();
    private final Map<String, String> images = new java.util.concurrent.ConcurrentHashMap<>();
    public final List<Build> builds = new CopyOnWriteArrayList<>();
    public final List<Push> pushes = new CopyOnWriteArrayList<>();
    public final List<Update> updates = new CopyOnWriteArrayList<>();
    /** Updates with {@code rollback=previous} (also in {@link #updates}, with the image they restored). */
    public final List<Update> rollbacks = new CopyOnWriteArrayList<>();
    public final List<JsonNode> creates = new CopyOnWriteArrayList<>();
    public final List<String> requests = new CopyOnWriteArrayList<>();
    public final List<String> loads = new CopyOnWriteArrayList<>();
    private final AtomicInteger buildsRunning = new AtomicInteger();
    private final AtomicInteger maxBuildsRunning = new AtomicInteger();

    private volatile Predicate<String> failingBuilds = tag -> false;
    private volatile Predicate<String> failingImages = image -> false;
    private volatile Predicate<String> startingImages = image -> false;
    private volatile Predicate<String> failingUpdates = image -> false;
    private volatile Predicate<String> hiddenPreviousSpecs = name -> false;
    private volatile Predicate<String> blockedBuilds = tag -> false;
    private volatile CountDownLatch buildGate = new CountDownLatch(0);
    private final AtomicInteger blockedNow = new AtomicInteger();
    private volatile boolean aborting;

    private DockerStandIn(HttpServer server) {
        this.server = server;
    }

    public static DockerStandIn start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            DockerStandIn d = new DockerStandIn(s);
            s.createContext("/", d::handle);
            s.setExecutor(Executors.newCachedThreadPool());
            s.start();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** DOCKER_HOST for the hub. */
    public String host() {
        return "tcp://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- scripts

    /** Builds whose tag matches fail with an errorDetail line. */
    public void failBuilds(Predicate<String> tags) {
        failingBuilds = tags;
    }

    /** Tasks of images that match fail (state failed). */
    public void failImages(Predicate<String> images) {
        failingImages = images;
    }

    /** Tasks of images that match stay "starting" (never running, never failed). */
    public void startSlowly(Predicate<String> images) {
        startingImages = images;
    }

    /** Service updates to images that match answer 500. */
    public void failUpdatesTo(Predicate<String> images) {
        failingUpdates = images;
    }

    /**
     * Services whose name matches are inspected without PreviousSpec (the API reference does not document the
     * field: a daemon or proxy may leave it out), as if they had never been updated.
     */
    public void hidePreviousSpec(Predicate<String> names) {
        hiddenPreviousSpecs = names;
    }

    /** Builds whose tag matches wait (after their first line) until {@link #releaseBuilds}. */
    public synchronized void blockBuilds(Predicate<String> tags) {
        aborting = false;
        buildGate = new CountDownLatch(1);
        blockedBuilds = tags;
    }

    public synchronized void releaseBuilds() {
        blockedBuilds = tag -> false;
        buildGate.countDown();
    }

    /** Blocked builds end their output at once, without an image (as when the daemon drops the build). */
    public synchronized void abortBlockedBuilds() {
        aborting = true;
        blockedBuilds = tag -> false;
        buildGate.countDown();
    }

    /** How many builds are waiting at the gate now. */
    public int blockedBuilds() {
        return blockedNow.get();
    }

    public int maxConcurrentBuilds() {
        return maxBuildsRunning.get();
    }

    /** The image the Swarm service runs (its spec), or null when there is no such service. */
    public synchronized String serviceImage(String name) {
        SwarmService s = services.get(name);
        return s == null ? null : s.image();
    }

    public synchronized long serviceVersion(String name) {
        SwarmService s = services.get(name);
        return s == null ? -1 : s.version;
    }

    /** Creates a Swarm service as if it had been deployed before the hub saw it. */
    public synchronized void existingService(String name, String image, int replicas) {
        ObjectNode spec = MAPPER.createObjectNode();
        spec.put("Name", name);
        spec.putObject("TaskTemplate").putObject("ContainerSpec").put("Image", image);
        spec.putObject("Mode").putObject("Replicated").put("Replicas", replicas);
        SwarmService s = new SwarmService(name, spec);
        s.version = 10;
        services.put(name, s);
    }

    /** The {@code rollback=previous} updates of a service. */
    public List<Update> rollbacksOf(String name) {
        return rollbacks.stream().filter(u -> u.service().equals(name)
                || services.containsKey(name) && services.get(name).id.equals(u.service())).toList();
    }

    public List<Update> updatesOf(String name) {
        return updates.stream().filter(u -> u.service().equals(name)
                || services.containsKey(name) && services.get(name).id.equals(u.service())).toList();
    }

    // ---- the API

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            Matcher v = VERSION.matcher(path);
            if (v.matches()) {
                path = v.group(1);
            }
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            String method = ex.getRequestMethod();
            requests.add(method + " " + path);
            if (path.equals("/_ping") && (method.equals("GET") || method.equals("HEAD"))) {
                ex.getResponseHeaders().add("API-Version", "1.56");
                ex.getResponseHeaders().add("Builder-Version", "1");
                ex.getResponseHeaders().add("Docker-Experimental", "false");
                ex.getResponseHeaders().add("Cache-Control", "no-cache, no-store, must-revalidate");
                text(ex, 200, "OK");
            } else if (path.equals("/version") && method.equals("GET")) {
                ObjectNode o = MAPPER.createObjectNode();
                o.put("Version", "29.0.0");
                o.put("ApiVersion", "1.56");
                o.put("MinAPIVersion", "1.24");
                o.put("Os", "linux");
                o.put("Arch", "amd64");
                json(ex, 200, o);
            } else if (path.equals("/build") && method.equals("POST")) {
                build(ex, query);
            } else if (path.equals("/images/load") && method.equals("POST")) {
                load(ex);
            } else if (path.startsWith("/images/") && path.endsWith("/tag") && method.equals("POST")) {
                String name = decode(path.substring("/images/".length(), path.length() - "/tag".length()));
                if (!images.containsKey(name)) {
                    error(ex, 404, "No such image: " + name);
                } else {
                    images.put(query.get("repo") + ":" + query.getOrDefault("tag", "latest"), images.get(name));
                    ex.sendResponseHeaders(201, -1);
                }
            } else if (path.startsWith("/images/") && path.endsWith("/push") && method.equals("POST")) {
                push(ex, decode(path.substring("/images/".length(), path.length() - "/push".length())), query);
            } else if (path.equals("/services/create") && method.equals("POST")) {
                create(ex);
            } else if (path.startsWith("/services/") && path.endsWith("/update") && method.equals("POST")) {
                update(ex, decode(path.substring("/services/".length(), path.length() - "/update".length())), query);
            } else if (path.startsWith("/services/") && method.equals("GET")) {
                inspect(ex, decode(path.substring("/services/".length())));
            } else if (path.equals("/tasks") && method.equals("GET")) {
                tasks(ex, query);
            } else {
                error(ex, 404, "page not found");
            }
        } catch (RuntimeException e) {
            error(ex, 500, e.toString());
        }
    }

    private void build(HttpExchange ex, Map<String, String> query) throws IOException {
        String tag = query.getOrDefault("t", "");
        String dockerfile = query.getOrDefault("dockerfile", "Dockerfile");
        List<String> files = new ArrayList<>();
        String dockerfileText = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(ex.getRequestBody())) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                files.add(e.getName());
                if (e.getName().equals(dockerfile)) {
                    dockerfileText = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        builds.add(new Build(tag, files, query, dockerfileText));
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        int now = buildsRunning.incrementAndGet();
        maxBuildsRunning.accumulateAndGet(now, Math::max);
        try {
            if (dockerfileText == null) {
                line(out, "{\"errorDetail\":{\"message\":\"Cannot locate specified Dockerfile: " + dockerfile
                        + "\"},\"error\":\"Cannot locate specified Dockerfile: " + dockerfile + "\"}");
                return;
            }
            line(out, "{\"stream\":\"Step 1/2 : " + dockerfileText.lines().findFirst().orElse("")
                    .replace("\"", "\\\"") + "\\n\"}");
            CountDownLatch gate = buildGate;
            if (blockedBuilds.test(tag)) {
                blockedNow.incrementAndGet();
                try {
                    gate.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    blockedNow.decrementAndGet();
                }
                if (aborting) {
                    return;
                }
            }
            if (failingBuilds.test(tag)) {
                line(out, "{\"stream\":\"Step 2/2 : RUN make\\n\"}");
                line(out, "{\"errorDetail\":{\"code\":2,\"message\":\"The command '/bin/sh -c make' returned a "
                        + "non-zero code: 2\"},\"error\":\"The command '/bin/sh -c make' returned a non-zero code: 2\"}");
                return;
            }
            String id = "sha256:" + UUID.randomUUID().toString().replace("-", "");
            images.put(tag, id);
            line(out, "{\"stream\":\"Step 2/2 : COPY . /app\\n\"}");
            line(out, "{\"aux\":{\"ID\":\"" + id + "\"}}");
            line(out, "{\"stream\":\"Successfully built " + id.substring(7, 19) + "\\n\"}");
            line(out, "{\"stream\":\"Successfully tagged " + tag + "\\n\"}");
        } catch (IOException e) {
            // the client went away (a hub stopped mid-build): the build is cancelled, as Docker does
        } finally {
            buildsRunning.decrementAndGet();
        }
    }

    /** A docker-save style tarball: manifest.json names the image (RepoTags). */
    private void load(HttpExchange ex) throws IOException {
        String tag = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(ex.getRequestBody())) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.getName().equals("manifest.json")) {
                    tag = MAPPER.readTree(tar.readAllBytes()).path(0).path("RepoTags").path(0).asText(null);
                }
            }
        }
        loads.add(String.valueOf(tag));
        if (tag == null) {
            lines(ex, List.of("{\"errorDetail\":{\"message\":\"open /var/lib/docker/tmp/manifest.json: no such file\"},"
                    + "\"error\":\"open /var/lib/docker/tmp/manifest.json: no such file\"}"));
            return;
        }
        images.put(tag, "sha256:" + UUID.randomUUID().toString().replace("-", ""));
        lines(ex, List.of("{\"stream\":\"Loaded image: " + tag + "\\n\"}"));
    }

    /** Makes an image exist on the daemon (as a build command run by the hub would). */
    public void addImage(String tag) {
        images.put(tag, "sha256:" + UUID.randomUUID().toString().replace("-", ""));
    }

    public boolean hasImage(String tag) {
        return images.containsKey(tag);
    }

    private void push(HttpExchange ex, String name, Map<String, String> query) throws IOException {
        String image = name + ":" + query.getOrDefault("tag", "latest");
        String header = ex.getRequestHeaders().getFirst("X-Registry-Auth");
        JsonNode auth = header == null ? null
                : MAPPER.readTree(Base64.getUrlDecoder().decode(header.replace('+', '-').replace('/', '_')));
        pushes.add(new Push(image, auth));
        if (!images.containsKey(image)) {
            lines(ex, List.of("{\"errorDetail\":{\"message\":\"An image does not exist locally with the tag: "
                    + name + "\"},\"error\":\"An image does not exist locally with the tag: " + name + "\"}"));
            return;
        }
        lines(ex, List.of("{\"status\":\"The push refers to repository [" + name + "]\"}",
                "{\"status\":\"Pushed\",\"progressDetail\":{},\"id\":\"" + images.get(image).substring(7, 19) + "\"}",
                "{\"status\":\"" + query.getOrDefault("tag", "latest") + ": digest: sha256:0 size: 528\"}"));
    }

    private synchronized void create(HttpExchange ex) throws IOException {
        ObjectNode spec = (ObjectNode) MAPPER.readTree(ex.getRequestBody());
        creates.add(spec);
        String name = spec.path("Name").asText();
        if (name.isBlank() || spec.path("TaskTemplate").path("ContainerSpec").path("Image").asText().isBlank()) {
            error(ex, 400, "Name and TaskTemplate.ContainerSpec.Image are required");
            return;
        }
        if (services.containsKey(name)) {
            error(ex, 409, "name conflicts with an existing object: service " + name + " already exists");
            return;
        }
        SwarmService s = new SwarmService(name, spec);
        services.put(name, s);
        ObjectNode o = MAPPER.createObjectNode();
        o.put("ID", s.id);
        o.putArray("Warnings");
        json(ex, 201, o);
    }

    private synchronized void update(HttpExchange ex, String idOrName, Map<String, String> query) throws IOException {
        ObjectNode spec = (ObjectNode) MAPPER.readTree(ex.getRequestBody());
        SwarmService s = find(idOrName);
        if (s == null) {
            error(ex, 404, "service " + idOrName + " not found");
            return;
        }
        if (!query.containsKey("version")) {
            error(ex, 400, "version is required");
            return;
        }
        long version = Long.parseLong(query.get("version"));
        boolean rollback = "previous".equals(query.get("rollback"));
        if (rollback && s.previousSpec == null) {
            // swarmkit: codes.FailedPrecondition, "service %s does not have a previous spec"
            updates.add(new Update(idOrName, version, null));
            error(ex, 500, "rpc error: code = FailedPrecondition desc = service " + s.id
                    + " does not have a previous spec");
            return;
        }
        // a rollback ignores the spec sent and puts the previous one back
        ObjectNode next = rollback ? s.previousSpec.deepCopy() : spec;
        String image = next.path("TaskTemplate").path("ContainerSpec").path("Image").asText();
        Update u = new Update(idOrName, version, image);
        updates.add(u);
        if (rollback) {
            rollbacks.add(u);
        }
        if (version != s.version) {
            error(ex, 500, "rpc error: code = Unknown desc = update out of sequence");
            return;
        }
        if (failingUpdates.test(image)) {
            error(ex, 500, "rpc error: code = Unknown desc = cannot update service " + s.name);
            return;
        }
        for (ObjectNode t : tasksOf(s)) {
            t.put("DesiredState", "shutdown");
            ((ObjectNode) t.get("Status")).put("State", "shutdown");
            s.oldTasks.add(t);
        }
        s.previousSpec = s.spec;
        s.spec = next;
        s.version++;
        ObjectNode o = MAPPER.createObjectNode();
        o.putArray("Warnings");
        json(ex, 200, o);
    }

    private synchronized void inspect(HttpExchange ex, String idOrName) throws IOException {
        SwarmService s = find(idOrName);
        if (s == null) {
            error(ex, 404, "service " + idOrName + " not found");
            return;
        }
        ObjectNode o = MAPPER.createObjectNode();
        o.put("ID", s.id);
        o.putObject("Version").put("Index", s.version);
        o.put("CreatedAt", s.created.toString());
        o.put("UpdatedAt", Instant.now().toString());
        o.set("Spec", s.spec);
        if (s.previousSpec != null && !hiddenPreviousSpecs.test(s.name)) {
            // not in the v1.56 reference's Service definition, but what the daemon returns (swarm.Service)
            o.set("PreviousSpec", s.previousSpec);
        }
        json(ex, 200, o);
    }

    private synchronized void tasks(HttpExchange ex, Map<String, String> query) throws IOException {
        ArrayNode out = MAPPER.createArrayNode();
        JsonNode filters = query.containsKey("filters") ? MAPPER.readTree(query.get("filters")) : MAPPER.createObjectNode();
        for (SwarmService s : services.values()) {
            boolean wanted = !filters.has("service");
            for (JsonNode f : filters.path("service")) {
                wanted |= f.asText().equals(s.name) || f.asText().equals(s.id);
            }
            if (wanted) {
                s.oldTasks.forEach(out::add);
                tasksOf(s).forEach(out::add);
            }
        }
        json(ex, 200, out);
    }

    private List<ObjectNode> tasksOf(SwarmService s) {
        List<ObjectNode> out = new ArrayList<>();
        int replicas = s.spec.path("Mode").path("Replicated").path("Replicas").asInt(1);
        boolean fails = failingImages.test(s.image());
        boolean starting = !fails && startingImages.test(s.image());
        for (int i = 1; i <= replicas; i++) {
            ObjectNode t = MAPPER.createObjectNode();
            t.put("ID", s.id.substring(0, 8) + "-" + s.version + "-" + i);
            t.put("ServiceID", s.id);
            t.put("Slot", i);
            t.putObject("Spec").putObject("ContainerSpec").put("Image", s.image() + "@sha256:"
                    + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
            ObjectNode status = t.putObject("Status");
            status.put("Timestamp", Instant.now().toString());
            status.put("State", fails ? "failed" : starting ? "starting" : "running");
            status.put("Message", fails ? "started" : "started");
            if (fails) {
                status.put("Err", "task: non-zero exit (1)");
            }
            t.put("DesiredState", fails ? "shutdown" : "running");
            out.add(t);
        }
        return out;
    }

    private SwarmService find(String idOrName) {
        SwarmService s = services.get(idOrName);
        if (s != null) {
            return s;
        }
        return services.values().stream().filter(x -> x.id.equals(idOrName)).findFirst().orElse(null);
    }

    // ---- HTTP bits

    private static void line(OutputStream out, String json) throws IOException {
        out.write((json + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void lines(HttpExchange ex, List<String> lines) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        for (String l : lines) {
            line(ex.getResponseBody(), l);
        }
    }

    private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = MAPPER.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static void text(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        ObjectNode o = MAPPER.createObjectNode();
        o.put("message", message);
        json(ex, status, o);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        releaseBuilds();
        server.stop(0);
    }
}
