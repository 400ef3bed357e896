package dev.webhookhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for Jenkins' remote access API on a real port. It serves Jenkins-shaped JSON built
 * from the builds of the captured {@code jenkins/api_job.depth1.raw.json} sample, for jobs and folders the test
 * defines, and can be made slow, broken (garbage, HTTP errors) or down (port closed) and brought back.
 */
public final class FakeJenkins implements AutoCloseable {

    /** Folder path ("" for the root) -> job name -> job JSON (FreeStyleProject or Folder). */
    private final Map<String, Map<String, ObjectNode>> containers = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final int port;
    private volatile HttpServer server;
    private boolean running = true;
    private volatile long delayMs;
    private volatile String garbage;
    private volatile int errorStatus;

    public FakeJenkins() {
        containers.put("", new ConcurrentHashMap<>());
        this.server = bind(0);
        this.port = server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** The captured sample's builds (#5 SUCCESS .. #1 FAILURE, started by user admin), as Jenkins returns them. */
    public static ArrayNode sampleBuilds(String jobUrl) {
        try {
            JsonNode raw = TestHub.MAPPER.readTree(Files.readAllBytes(
                    TestHub.samples().resolve("jenkins/api_job.depth1.raw.json")));
            ArrayNode out = TestHub.MAPPER.createArrayNode();
            for (JsonNode b : raw.get("builds")) {
                ObjectNode o = out.addObject();
                o.put("_class", b.get("_class").asText());
                ArrayNode actions = o.putArray("actions");
                for (JsonNode a : b.get("actions")) {
                    ObjectNode action = actions.addObject();
                    action.put("_class", a.get("_class").asText());
                    if (a.has("causes")) {
                        ArrayNode causes = action.putArray("causes");
                        for (JsonNode c : a.get("causes")) {
                            causes.addObject().put("_class", c.get("_class").asText())
                                    .put("userId", c.get("userId").asText()).put("userName", c.get("userName").asText());
                        }
                    }
                }
                o.put("building", b.get("building").asBoolean());
                o.put("duration", b.get("duration").asLong());
                o.put("number", b.get("number").asInt());
                o.put("result", b.get("result").asText());
                o.put("timestamp", b.get("timestamp").asLong());
                o.put("url", jobUrl + b.get("number").asInt() + "/");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A build Jenkins reports as running: {@code building: true, result: null}. */
    public static ObjectNode runningBuild(String jobUrl, int number, long timestamp) {
        ObjectNode o = TestHub.MAPPER.createObjectNode();
        o.put("_class", "hudson.model.FreeStyleBuild");
        o.putArray("actions");
        o.put("building", true);
        o.put("duration", 0);
        o.put("number", number);
        o.putNull("result");
        o.put("timestamp", timestamp);
        o.put("url", jobUrl + number + "/");
        return o;
    }

    public String jobUrl(String folder, String name) {
        StringBuilder u = new StringBuilder(url());
        if (!folder.isEmpty()) {
            for (String f : folder.split("/")) {
                u.append("job/").append(f).append('/');
            }
        }
        return u.append("job/").append(name).append('/').toString();
    }

    /** Defines (or replaces) a job in {@code folder} ("" for the root) with these builds, newest first. */
    public void job(String folder, String name, ArrayNode builds) {
        ObjectNode job = TestHub.MAPPER.createObjectNode();
        job.put("_class", "hudson.model.FreeStyleProject");
        job.put("name", name);
        job.put("url", jobUrl(folder, name));
        job.set("builds", builds);
        containers.computeIfAbsent(folder, f -> new ConcurrentHashMap<>()).put(name, job);
    }

    /** Defines a folder {@code name} inside {@code parent}; its jobs are defined with {@code job(parent/name, ...)}. */
    public void folder(String parent, String name, String jenkinsClass) {
        ObjectNode folder = TestHub.MAPPER.createObjectNode();
        folder.put("_class", jenkinsClass);
        folder.put("name", name);
        folder.put("url", jobUrl(parent, name));
        containers.computeIfAbsent(parent, f -> new ConcurrentHashMap<>()).put(name, folder);
        containers.computeIfAbsent(parent.isEmpty() ? name : parent + "/" + name, f -> new ConcurrentHashMap<>());
    }

    public void slow(long delayMs) {
        this.delayMs = delayMs;
    }

    public void garbage(String body) {
        this.garbage = body;
    }

    public void failWith(int status) {
        this.errorStatus = status;
    }

    public void healthy() {
        delayMs = 0;
        garbage = null;
        errorStatus = 0;
    }

    /** Closes the port: connections are refused until {@link #up()}. */
    public synchronized void down() {
        if (running) {
            server.stop(0);
            running = false;
        }
    }

    public synchronized void up() {
        if (!running) {
            server = bind(port);
            running = true;
        }
    }

    public List<String> requests() {
        return new ArrayList<>(requests);
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public void resetMaxInFlight() {
        maxInFlight.set(inFlight.get());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private HttpServer bind(int onPort) {
        for (int attempt = 0; ; attempt++) {
            try {
                HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 64);
                s.setExecutor(Executors.newCachedThreadPool());
                s.createContext("/", this::handle);
                s.start();
                return s;
            } catch (IOException e) {
                if (attempt > 50) {
                    throw new UncheckedIOException(e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ie);
                }
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(exchange.getRequestURI().getPath() + (query == null ? "" : "?" + query) + " auth="
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
            if (errorStatus != 0) {
                respond(exchange, errorStatus, "<html>Jenkins is restarting</html>", "text/html");
                return;
            }
            if (garbage != null) {
                respond(exchange, 200, garbage, "application/json");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (!path.endsWith("/api/json")) {
                respond(exchange, 404, "not found", "text/plain");
                return;
            }
            String folder = folderOf(path.substring(0, path.length() - "/api/json".length()));
            Map<String, ObjectNode> jobs = containers.get(folder);
            if (jobs == null) {
                respond(exchange, 404, "no such folder", "text/plain");
                return;
            }
            ObjectNode root = TestHub.MAPPER.createObjectNode();
            root.put("_class", folder.isEmpty() ? "hudson.model.Hudson" : "com.cloudbees.hudson.plugins.folder.Folder");
            ArrayNode list = root.putArray("jobs");
            jobs.values().forEach(list::add);
            respond(exchange, 200, root.toString(), "application/json;charset=utf-8");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    private static String folderOf(String path) {
        List<String> names = new ArrayList<>();
        String[] segments = path.split("/");
        for (int i = 0; i + 1 < segments.length; i++) {
            if ("job".equals(segments[i])) {
                names.add(java.net.URLDecoder.decode(segments[i + 1], StandardCharsets.UTF_8));
                i++;
            }
        }
        return String.join("/", names);
    }

    private static void respond(HttpExchange exchange, int status, String body, String contentType)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("X-Jenkins", "2.452.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
