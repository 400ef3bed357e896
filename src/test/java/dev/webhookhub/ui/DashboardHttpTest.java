package dev.webhookhub.ui;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's HTTP side without a browser: files and their headers, stream tickets, the live stream, APIs. */
class DashboardHttpTest {

    @TempDir
    static Path dir;
    static TestHub hub;
    static final HttpClient HTTP = TestHub.httpClient().build();
    static final List<HttpResponse<Stream<String>>> OPEN = new ArrayList<>();

    @BeforeAll
    static void start() {
        hub = TestHub.start(dir, Map.of("hub.ui.max-streams", "2", "hub.ui.heartbeat-ms", "200"));
    }

    @AfterAll
    static void stop() {
        closeStreams();
        if (hub != null) {
            hub.close();
        }
    }

    static void closeStreams() {
        OPEN.forEach(r -> r.body().close());
        OPEN.clear();
    }

    static HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url(path))).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return hub.send(b);
    }

    static HttpResponse<String> post(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url(path)))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return hub.send(b);
    }

    static void assertSecurityHeaders(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("default-src 'self'").contains("script-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    static void assertJsonError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(json(r).get("success").asBoolean()).isFalse();
        assertThat(json(r).get("code").asText()).isEqualTo(code);
    }

    String ticket() {
        HttpResponse<String> r = post("/api/events/ticket", "Authorization", "Bearer " + hub.token());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode t = json(r);
        assertThat(t.get("expires_in_seconds").asInt()).isEqualTo(60);
        return t.get("ticket").asText();
    }

    /** Opens a stream; its lines go to the queue. */
    HttpResponse<Stream<String>> stream(String ticket, BlockingQueue<String> lines) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(hub.url("/api/events/stream?ticket=" + ticket))).GET()
                .build();
        CompletableFuture<HttpResponse<Stream<String>>> f = HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> r = f.get(10, TimeUnit.SECONDS);
        OPEN.add(r);
        Thread reader = new Thread(() -> {
            try {
                r.body().forEach(lines::add);
            } catch (RuntimeException closed) {
                // the hub stopped or the test ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return r;
    }

    static String next(BlockingQueue<String> lines, String startingWith) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (l != null && l.startsWith(startingWith)) {
                return l;
            }
        }
        throw new AssertionError("no line starting with " + startingWith);
    }

    @Test
    void theDashboardIsServedFromTheJarWithSecurityHeaders() {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/ui/");
        assertThat(get("/ui").headers().firstValue("Location")).hasValue("/ui/");

        HttpResponse<String> index = get("/ui/");
        assertThat(index.statusCode()).as(index.body()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("text/html"));
        assertThat(index.body()).contains("<script type=\"module\" src=\"js/app.js\"></script>")
                .doesNotContain("<script>").doesNotContain("style=");
        assertSecurityHeaders(index);

        HttpResponse<String> js = get("/ui/js/pages/index.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .contains("javascript"));
        assertSecurityHeaders(js);
        assertThat(get("/ui/app.css").headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("text/css"));

        assertJsonError(get("/ui/no-such-file.js"), 404, "not_found");
        assertJsonError(get("/ui/../config/application.properties"), 404, "not_found");
        assertJsonError(get("/ui/%2e%2e/%2e%2e/config/application.properties"), 404, "not_found");
    }

    @AfterEach
    void closeOpenStreams() {
        closeStreams();
    }

    @Test
    void aStreamTicketNeedsTheAdminTokenAndOpensOneStreamOnce() throws Exception {
        assertJsonError(post("/api/events/ticket"), 401, "unauthorized");
        assertJsonError(post("/api/events/ticket", "Authorization", "Bearer wrong"), 401, "unauthorized");
        assertJsonError(get("/api/events/stream"), 401, "invalid_ticket");
        assertJsonError(get("/api/events/stream?ticket=made-up"), 401, "invalid_ticket");
        // the admin token itself is no ticket: it never goes in a URL
        assertJsonError(get("/api/events/stream?ticket=" + hub.token()), 401, "invalid_ticket");

        String ticket = ticket();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> r = stream(ticket, lines);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("text/event-stream"));
        assertThat(next(lines, "event:")).isEqualTo("event: ready");
        assertThat(next(lines, ": ping")).isEqualTo(": ping");
        assertJsonError(get("/api/events/stream?ticket=" + ticket), 401, "invalid_ticket");
    }

    @Test
    void busEventsReachTheStreamAndStreamsAreCapped() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        stream(ticket(), lines);
        next(lines, "event: ready");

        String serviceId = hub.createService("live-" + UUID.randomUUID().toString().substring(0, 8), "main");
        String secret = hub.issueSecret(serviceId, "github");
        byte[] body = push("abc1234def");
        assertThat(hub.postWebhook("github", serviceId, body, headers(secret, body)).statusCode()).isEqualTo(202);

        JsonNode event = null;
        while (event == null) {
            JsonNode e = TestHub.MAPPER.readTree(next(lines, "data: ").substring(6));
            if (serviceId.equals(e.path("service_id").asText())) {
                event = e;
            }
        }
        assertThat(event.get("type").asText()).isEqualTo("webhook_received");
        assertThat(event.get("data").get("commit").asText()).isEqualTo("abc1234def");
        assertThat(event.get("data").get("status").asText()).isEqualTo("deployment pending");
        assertThat(event.get("time").asText()).isNotBlank();

        // hub.ui.max-streams = 2: this test's stream plus one more, then 503
        BlockingQueue<String> more = new LinkedBlockingQueue<>();
        Await.until(() -> {
            try {
                HttpResponse<Stream<String>> second = stream(ticket(), more);
                return second.statusCode() == 200;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofSeconds(5), "a second stream once earlier tests' streams are closed");
        assertJsonError(get("/api/events/stream?ticket=" + ticket()), 503, "too_many_streams");
    }

    @Test
    void oneDeliveryWithRedactedHeadersAndItsPayload() throws Exception {
        String serviceId = hub.createService("detail-" + UUID.randomUUID().toString().substring(0, 8), "main");
        String secret = hub.issueSecret(serviceId, "github");
        byte[] body = push("feed5678");
        hub.postWebhook("github", serviceId, body, headers(secret, body));
        JsonNode list = json(hub.admin("GET", "/api/containers/services/" + serviceId + "/deliveries", null));
        String id = list.get("items").get(0).get("id").asText();

        HttpResponse<String> r = hub.admin("GET", "/api/containers/services/" + serviceId + "/deliveries/" + id, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode d = json(r);
        assertThat(d.get("payload").get("head_commit").get("message").asText()).isEqualTo("Fix the dashboard");
        assertThat(d.get("payload_format").asText()).isEqualTo("json");
        assertThat(d.get("headers").toString()).contains("[redacted]")
                .doesNotContain(headers(secret, body).get("X-Hub-Signature-256").substring(7));
        assertThat(r.body()).doesNotContain(secret);

        assertJsonError(hub.admin("GET", "/api/containers/services/" + serviceId + "/deliveries/nope", null), 404,
                "not_found");
        String other = hub.createService("other-" + UUID.randomUUID().toString().substring(0, 8), "main");
        assertJsonError(hub.admin("GET", "/api/containers/services/" + other + "/deliveries/" + id, null), 404,
                "not_found");
        assertJsonError(get("/api/containers/services/" + serviceId + "/deliveries/" + id), 401, "unauthorized");
    }

    @Test
    void theOverviewHasQueueDepthsAndRecentErrors() throws Exception {
        String serviceId = hub.createService("errors-" + UUID.randomUUID().toString().substring(0, 8), "main");
        hub.issueSecret(serviceId, "github");
        byte[] body = push("bad00001");
        assertThat(hub.postWebhook("github", serviceId, body, headers("not-the-secret", body)).statusCode())
                .isEqualTo(401);

        assertJsonError(get("/api/dashboard/overview"), 401, "unauthorized");
        // the refused delivery is logged by the inbox's group commit, just after the answer
        Await.untilAsserted(Duration.ofSeconds(10), () -> {
            HttpResponse<String> r = hub.admin("GET", "/api/dashboard/overview", null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).get("recent_errors")).anySatisfy(e -> {
                assertThat(e.get("kind").asText()).isEqualTo("delivery");
                assertThat(e.get("service_id").asText()).isEqualTo(serviceId);
                assertThat(e.get("status").asText()).isEqualTo("rejected");
                assertThat(e.get("code").asInt()).isEqualTo(401);
            });
        });
        JsonNode o = json(hub.admin("GET", "/api/dashboard/overview", null));
        assertThat(o.get("queues").findValuesAsText("name")).contains("hub-events",
                "deliveries accepted, not processed");
        for (JsonNode q : o.get("queues")) {
            if (q.get("name").asText().equals("hub-events")) {
                assertThat(q.get("capacity").asInt()).isEqualTo(10000);
                assertThat(q.get("size").asInt()).isGreaterThanOrEqualTo(0);
            }
        }
        assertThat(o.get("events_dropped").asLong()).isZero();
    }

    static byte[] push(String sha) throws Exception {
        ObjectNode p = TestHub.MAPPER.createObjectNode();
        p.put("ref", "refs/heads/main");
        p.put("after", sha);
        p.putObject("repository").put("html_url", "https://github.com/acme/shop").put("full_name", "acme/shop");
        ObjectNode head = p.putObject("head_commit");
        head.put("id", sha);
        head.put("message", "Fix the dashboard");
        head.putObject("author").put("name", "Ann");
        return TestHub.MAPPER.writeValueAsBytes(p);
    }

    static Map<String, String> headers(String secret, byte[] body) {
        return Map.of("Content-Type", "application/json", "X-GitHub-Event", "push",
                "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", Signatures.githubSha256(secret, body));
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
