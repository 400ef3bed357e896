package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 store's durability, proven rather than assumed: the hub runs as its own process, takes deliveries
 * from 16 concurrent senders, and is killed with SIGKILL mid-stream. Every delivery that got a 202 must be in the
 * store when the hub comes back, and is then processed.
 */
class KillNineDurabilityTest {

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedDeliverySurvivesKillMinusNine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String token = "kill-test-" + UUID.randomUUID();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", classpath, "dev.webhookhub.Main")
                .directory(TestHub.projectDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("hub.log").toFile());
        pb.environment().put("HUB_DATA_DIR", dataDir.resolve("data").toString());
        pb.environment().put("HUB_HTTP_PORT", String.valueOf(port));
        pb.environment().put("HUB_ADMIN_TOKEN", token);
        pb.environment().put("HUB_CONFIG_DIR", TestHub.projectDir().resolve("config").toString());
        pb.environment().put("HUB_ROUTES", "file:" + TestHub.projectDir().resolve("routes") + File.separator + "*.yaml");
        Process hub = pb.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + port;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        String service;
        byte[] body = GitWebhookFlowContract.githubBranchPush("main", "abcdef0123456789abcdef0123456789abcdef01");
        try {
            awaitHealthy(http, base, hub, token);
            service = TestHub.json(http.send(HttpRequest.newBuilder(URI.create(base + "/api/containers/services"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"kill\",\"git_branch\":\"main\"}")).build(),
                    HttpResponse.BodyHandlers.ofString())).get("id").asText();
            String secret = TestHub.json(http.send(HttpRequest.newBuilder(URI.create(base
                    + "/api/containers/services/" + service + "/webhook-url?provider=github"))
                    .header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString())).get("secret").asText();
            String signature = Signatures.githubSha256(secret, body);

            AtomicInteger sent = new AtomicInteger();
            ExecutorService senders = Executors.newFixedThreadPool(16);
            for (int t = 0; t < 16; t++) {
                senders.submit(() -> {
                    while (sent.incrementAndGet() < 100_000 && hub.isAlive()) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base
                                    + "/api/containers/webhooks/github/" + service))
                                    .header("Content-Type", "application/json")
                                    .header("X-GitHub-Event", "push")
                                    .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                                    .header("X-Hub-Signature-256", signature)
                                    .timeout(Duration.ofSeconds(5))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 202) {
                                acknowledged.add(TestHub.json(r).get("deliveryId").asText());
                            }
                        } catch (Exception e) {
                            return; // the hub is gone
                        }
                    }
                });
            }
            Instant end = Instant.now().plusSeconds(30);
            while (acknowledged.size() < 500 && Instant.now().isBefore(end)) {
                Thread.sleep(10);
            }
            hub.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            hub.waitFor(10, TimeUnit.SECONDS);
            senders.shutdown();
            assertThat(senders.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            hub.destroyForcibly();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(500);

        try (TestHub restarted = TestHub.start(dataDir.resolve("data"), Map.of("hub.recovery.interval-ms", "500",
                "hub.recovery.min-age-seconds", "0"))) {
            Set<String> stored = ids(restarted, "SELECT id FROM webhook_deliveries WHERE service_id = ?", service);
            assertThat(stored).containsAll(acknowledged);
            for (String id : acknowledged) {
                assertThat(restarted.payloads().body(id)).as("the body of " + id).hasValue(body);
            }
            Instant end = Instant.now().plusSeconds(60);
            while (ids(restarted, "SELECT delivery_id FROM deployments WHERE service_id = ?", service).size()
                    < acknowledged.size() && Instant.now().isBefore(end)) {
                Thread.sleep(200);
            }
            Set<String> deployed = ids(restarted, "SELECT delivery_id FROM deployments WHERE service_id = ?", service);
            assertThat(deployed).containsAll(acknowledged);
            int accepted = ids(restarted, "SELECT id FROM webhook_deliveries WHERE service_id = ? AND status IN "
                    + "('accepted', 'processed')", service).size();
            assertThat(deployed).as("one deployment per delivery taken in").hasSize(accepted);
        }
    }

    private static void awaitHealthy(HttpClient http, String base, Process hub, String token) throws Exception {
        Instant end = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(end)) {
            assertThat(hub.isAlive()).as("hub process exited during start").isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/observe/health"))
                        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
                JsonNode health = TestHub.json(r);
                if (r.statusCode() == 200 && "UP".equals(health.path("status").asText())) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("hub did not become healthy");
    }

    private static Set<String> ids(TestHub hub, String sql, String serviceId) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = hub.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, serviceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
