import com.sun.net.httpserver.HttpServer;
import dev.webhookhub.HubMain;
import dev.webhookhub.outbound.OutboundPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.main.Main;

/**
 * Outbound fan-out benchmark (see bench/README.md): MESSAGES events, each fanned out to ENDPOINTS local receivers
 * over real sockets, first with every receiver answering, then with one of them dead (it accepts connections and
 * never answers, so each attempt waits for the endpoint's timeout). Prints deliveries per second and the latency
 * from publish to arrival at the live receivers, and how the dead endpoint changed them.
 *
 * Run from the repository root after `mvn -B -DskipTests package`:
 * java -cp target/webhook-hub.jar bench/FanoutBench.java
 */
public class FanoutBench {

    static final int MESSAGES = intEnv("MESSAGES", 10_000);
    static final int ENDPOINTS = intEnv("ENDPOINTS", 10);
    static final int WARMUP_MESSAGES = intEnv("WARMUP_MESSAGES", 3_000);
    static final int DEAD_TIMEOUT_SECONDS = intEnv("DEAD_TIMEOUT_SECONDS", 30);
    static final int LIMIT_SECONDS = intEnv("LIMIT_SECONDS", 600);

    record Result(String name, int live, long delivered, double seconds, long p50Ms, long p99Ms, long maxMs,
            long deadRequests, long publishMs) {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("fan-out: %,d messages to %d endpoints (%,d deliveries per phase); dead endpoint timeout %d s%n",
                MESSAGES, ENDPOINTS, (long) MESSAGES * ENDPOINTS, DEAD_TIMEOUT_SECONDS);
        if (WARMUP_MESSAGES > 0) {
            Result w = phase("warm-up", 0, WARMUP_MESSAGES);
            System.out.printf("warm-up (JIT): %,d deliveries in %.1f s, not counted%n", w.delivered(), w.seconds());
        }
        Result all = phase("all live", 0, MESSAGES);
        Result oneDead = phase("one dead", 1, MESSAGES);
        System.out.println();
        System.out.println("phase      live  delivered   seconds   deliveries/s   p50 ms   p99 ms   max ms   "
                + "dead-endpoint attempts   publish ms");
        for (Result r : List.of(all, oneDead)) {
            System.out.printf("%-9s %5d %10d %9.1f %14.0f %8d %8d %8d %24d %12d%n", r.name(), r.live(), r.delivered(),
                    r.seconds(), r.delivered() / r.seconds(), r.p50Ms(), r.p99Ms(), r.maxMs(), r.deadRequests(),
                    r.publishMs());
        }
        double perLiveAll = all.delivered() / all.seconds() / all.live();
        double perLiveDead = oneDead.delivered() / oneDead.seconds() / oneDead.live();
        System.out.printf("%nper live endpoint: %.0f/s with all live, %.0f/s with one dead (%.0f%%); "
                + "p99 %d ms -> %d ms%n", perLiveAll, perLiveDead, 100 * perLiveDead / perLiveAll, all.p99Ms(),
                oneDead.p99Ms());
        System.exit(0);
    }

    static Result phase(String name, int dead, int messages) throws Exception {
        Path data = Files.createTempDirectory("fanout-bench");
        int port = freePort();
        String token = "bench-" + UUID.randomUUID();
        Map<String, String> overrides = new HashMap<>();
        overrides.put("camel.server.port", String.valueOf(port));
        overrides.put("camel.management.port", String.valueOf(port));
        overrides.put("hub.data-dir", data.toString());
        overrides.put("hub.admin-token", token);
        overrides.put("hub.outbound.allowed-networks", "127.0.0.0/8"); // the receivers are local
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("HUB_CONFIG_DIR", Path.of("config").toAbsolutePath().toString());
        Main hub = HubMain.create(env, overrides);
        hub.start();

        int live = ENDPOINTS - dead;
        List<LiveReceiver> receivers = new ArrayList<>();
        for (int i = 0; i < live; i++) {
            receivers.add(new LiveReceiver());
        }
        DeadReceiver deadOne = dead > 0 ? new DeadReceiver() : null;
        HttpClient http = HttpClient.newHttpClient();
        String event = "bench.fanout";
        for (LiveReceiver r : receivers) {
            createEndpoint(http, port, token, r.url(), event, 30);
        }
        if (deadOne != null) {
            createEndpoint(http, port, token, deadOne.url(), event, DEAD_TIMEOUT_SECONDS);
        }
        OutboundPublisher publisher = hub.getCamelContext().getRegistry()
                .lookupByNameAndType("outboundPublisher", OutboundPublisher.class);

        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            publisher.publish(event, "{\"n\":" + i + ",\"sent_nanos\":" + System.nanoTime() + "}");
        }
        long publishMs = (System.nanoTime() - start) / 1_000_000;
        long expected = (long) messages * live;
        long deadline = start + LIMIT_SECONDS * 1_000_000_000L;
        long lastPrint = System.nanoTime();
        while (delivered(receivers) < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                lastPrint = System.nanoTime();
                System.out.printf("  %s: %,d of %,d delivered after %.0f s%n", name, delivered(receivers), expected,
                        (lastPrint - start) / 1e9);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long delivered = delivered(receivers);
        long[] latencies = receivers.stream().flatMap(r -> r.latenciesMs.stream()).mapToLong(Long::longValue)
                .sorted().toArray();
        long deadRequests = deadOne == null ? 0 : deadOne.connections.get();
        hub.stop();
        receivers.forEach(LiveReceiver::close);
        if (deadOne != null) {
            deadOne.close();
        }
        if (delivered < expected) {
            System.out.printf("  %s: only %,d of %,d delivered within %d s%n", name, delivered, expected,
                    LIMIT_SECONDS);
        }
        return new Result(name, live, delivered, seconds, pct(latencies, 50), pct(latencies, 99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1], deadRequests, publishMs);
    }

    static long delivered(List<LiveReceiver> receivers) {
        return receivers.stream().mapToLong(r -> r.unique.sum()).sum();
    }

    static long pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static void createEndpoint(HttpClient http, int port, String token, String url, String event, int timeout)
            throws Exception {
        String body = "{\"url\":\"" + url + "\",\"event_types\":[\"" + event + "\"],\"signature_scheme\":\"github\","
                + "\"timeout_seconds\":" + timeout + "}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/outbound/endpoints")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("cannot create endpoint: " + r.statusCode() + " " + r.body());
        }
    }

    /** Answers 200 at once; counts each message id once and records publish-to-arrival latency. */
    static final class LiveReceiver {
        final HttpServer server;
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        final LongAdder unique = new LongAdder();
        final List<Long> latenciesMs = new CopyOnWriteArrayList<>();

        LiveReceiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            server.setExecutor(pool);
            server.createContext("/", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                long now = System.nanoTime();
                String id = ex.getRequestHeaders().getFirst("X-Webhook-Hub-Message-Id");
                if (id != null && seen.add(id)) {
                    unique.increment();
                    String s = new String(body);
                    int i = s.indexOf("\"sent_nanos\":");
                    if (i >= 0) {
                        long sent = Long.parseLong(s.substring(i + 13, s.indexOf('}', i)).trim());
                        latenciesMs.add((now - sent) / 1_000_000);
                    }
                }
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    /** Accepts connections and never answers. */
    static final class DeadReceiver {
        final ServerSocket socket = new ServerSocket(0, 256);
        final AtomicLong connections = new AtomicLong();
        final List<Socket> open = new CopyOnWriteArrayList<>();
        final Thread acceptor;

        DeadReceiver() throws IOException {
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        open.add(s);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "dead-receiver");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/hook";
        }

        void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int intEnv(String name, int def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : Integer.parseInt(v.trim());
    }
}
