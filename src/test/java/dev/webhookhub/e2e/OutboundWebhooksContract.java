package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.Receiver.Answer;
import dev.webhookhub.support.TestHub;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Outbound webhooks end to end: the real hub, real local receivers on real ports. Each test subscribes its own
 * endpoint to its own event type, so tests do not see each other's messages.
 */
abstract class OutboundWebhooksContract {

    static TestHub hub;
    static Path backupDir;

    static Map<String, String> outboundSettings(Path backups) {
        backupDir = backups;
        Map<String, String> m = new HashMap<>();
        m.put("hub.outbound.retry-schedule", "0s,100ms,100ms");
        m.put("hub.outbound.retry-jitter", "0");
        m.put("hub.outbound.poll-interval-ms", "50");
        m.put("hub.outbound.concurrency", "8");
        m.put("hub.outbound.per-endpoint-concurrency", "2");
        m.put("hub.outbound.backup-dir", backups.toString());
        return m;
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    static String event() {
        return "test." + UUID.randomUUID().toString().replace("-", "");
    }

    static JsonNode createEndpoint(String url, String eventType, String scheme, String extra) {
        HttpResponse<String> r = hub.admin("POST", "/api/outbound/endpoints", "{\"url\":\"" + url
                + "\",\"event_types\":[\"" + eventType + "\"],\"signature_scheme\":\"" + scheme + "\"" + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestHub.json(r);
    }

    static List<String> publish(String eventType, String json) {
        return hub.context().getRegistry().lookupByNameAndType("outboundPublisher", OutboundPublisher.class)
                .publish(eventType, json);
    }

    static JsonNode message(String id) {
        HttpResponse<String> r = hub.admin("GET", "/api/outbound/messages/" + id, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestHub.json(r);
    }

    static JsonNode awaitStatus(String messageId, String status, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode m = message(messageId);
        while (!status.equals(m.get("status").asText()) && System.nanoTime() < deadline) {
            sleep(50);
            m = message(messageId);
        }
        assertThat(m.get("status").asText()).as(m.toString()).isEqualTo(status);
        return m;
    }

    static void await(BooleanSupplier condition, Duration within, String what) {
        Await.until(condition, within, what);
    }

    static void sleep(long ms) {
        Await.sleep(ms);
    }

    // independent signature code: javax.crypto directly, not the hub's classes
    static byte[] hmac(byte[] key, byte[]... parts) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] p : parts) {
            mac.update(p);
        }
        return mac.doFinal();
    }

    @Test
    void deliversSignedStandardWebhooksMessageOnce() throws Exception {
        try (Receiver rx = Receiver.always(200)) {
            String type = event();
            JsonNode ep = createEndpoint(rx.url(), type, "standard-webhooks", ",\"headers\":{\"X-Team\":\"ops\"}");
            String secret = ep.get("secret").asText();
            assertThat(secret).startsWith("whsec_");
            String body = "{\"pipeline_id\":\"p-1\",\"status\":\"passed\"}";
            String id = publish(type, body).get(0);
            JsonNode m = awaitStatus(id, "delivered", Duration.ofSeconds(10));
            assertThat(m.get("attempts").asInt()).isEqualTo(1);
            assertThat(m.get("attempt_history")).hasSize(1);
            assertThat(rx.requests()).hasSize(1);
            Receiver.Request req = rx.requests().get(0);
            assertThat(new String(req.body(), StandardCharsets.UTF_8)).isEqualTo(body);
            assertThat(req.header("webhook-id")).isEqualTo(id);
            assertThat(req.header("x-webhook-hub-message-id")).isEqualTo(id);
            assertThat(req.header("x-team")).isEqualTo("ops");
            assertThat(req.header("content-type")).isEqualTo("application/json");
            assertThat(req.header("upgrade")).as("plain HTTP/1.1, no h2c upgrade").isNull();
            long ts = Long.parseLong(req.header("webhook-timestamp"));
            assertThat(Math.abs(ts - Instant.now().getEpochSecond())).isLessThan(60);
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            String expected = "v1," + Base64.getEncoder().encodeToString(
                    hmac(key, (id + "." + ts + ".").getBytes(StandardCharsets.UTF_8), req.body()));
            assertThat(req.header("webhook-signature")).isEqualTo(expected);
            // the API never shows the secret again
            assertThat(hub.admin("GET", "/api/outbound/endpoints/" + ep.get("id").asText(), null).body())
                    .doesNotContain(secret);
        }
    }

    @Test
    void jobServAndGitHubSchemesSignTheRawBody() throws Exception {
        try (Receiver rx = Receiver.always(204)) {
            String type = event();
            createEndpoint(rx.url(), type, "jobserv", ",\"secret\":\"secret_value_long_enough\"");
            createEndpoint(rx.url(), type, "github", ",\"secret\":\"It's a Secret to Everybody\"");
            List<String> ids = publish(type, "{\"build_id\": 1}");
            assertThat(ids).hasSize(2);
            for (String id : ids) {
                awaitStatus(id, "delivered", Duration.ofSeconds(10));
            }
            HexFormat hex = HexFormat.of();
            Receiver.Request jobserv = rx.requests().stream().filter(r -> r.header("x-jobserv-sig") != null)
                    .findFirst().orElseThrow();
            assertThat(jobserv.header("x-jobserv-sig")).isEqualTo("sha256:" + hex.formatHex(
                    hmac("secret_value_long_enough".getBytes(StandardCharsets.UTF_8), jobserv.body())));
            Receiver.Request github = rx.requests().stream().filter(r -> r.header("x-hub-signature-256") != null)
                    .findFirst().orElseThrow();
            assertThat(github.header("x-hub-signature-256")).isEqualTo("sha256=" + hex.formatHex(
                    hmac("It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8), github.body())));
        }
    }

    @Test
    void retriesAfter500ThenDelivers() {
        try (Receiver rx = new Receiver(n -> Answer.of(n == 0 ? 500 : 200))) {
            String type = event();
            createEndpoint(rx.url(), type, "github", "");
            String id = publish(type, "{\"n\":1}").get(0);
            JsonNode m = awaitStatus(id, "delivered", Duration.ofSeconds(10));
            assertThat(m.get("attempts").asInt()).isEqualTo(2);
            assertThat(m.get("attempt_history").get(0).get("status_code").asInt()).isEqualTo(500);
            assertThat(rx.requests()).hasSize(2);
            assertThat(rx.requests().get(0).header("webhook-id")).isEqualTo(rx.requests().get(1).header("webhook-id"));
        }
    }

    @Test
    void aBinaryAnswerIsRecordedAsTextTheStoreCanKeep() {
        byte[] binary = "oops\0\0\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        try (Receiver rx = new Receiver(n -> n == 0 ? new Answer(500, Map.of(), 0, binary) : Answer.of(200))) {
            String type = event();
            createEndpoint(rx.url(), type, "github", "");
            String id = publish(type, "{\"n\":1}").get(0);
            JsonNode m = awaitStatus(id, "delivered", Duration.ofSeconds(10));
            JsonNode first = m.get("attempt_history").get(0);
            assertThat(first.get("status_code").asInt()).isEqualTo(500);
            assertThat(first.get("response_snippet").asText()).startsWith("oops\uFFFD\uFFFD").doesNotContain("\0");
            assertThat(rx.requests()).hasSize(2);
        }
    }

    @Test
    void honoursRetryAfterOn429() {
        try (Receiver rx = new Receiver(n -> n == 0 ? new Answer(429, Map.of("Retry-After", "2"), 0)
                : Answer.of(200))) {
            String type = event();
            createEndpoint(rx.url(), type, "github", "");
            String id = publish(type, "{\"n\":1}").get(0);
            awaitStatus(id, "delivered", Duration.ofSeconds(10));
            Duration gap = Duration.between(rx.requests().get(0).at(), rx.requests().get(1).at());
            assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        }
    }

    @Test
    void goneDisablesTheEndpointAndRaisesAnEvent() {
        try (Receiver rx = Receiver.always(410); Receiver watcher = Receiver.always(200)) {
            String type = event();
            createEndpoint(watcher.url(), "endpoint.disabled", "github", "");
            String endpointId = createEndpoint(rx.url(), type, "github", "").get("id").asText();
            String id = publish(type, "{\"n\":1}").get(0);
            awaitStatus(id, "failed", Duration.ofSeconds(10));
            JsonNode ep = TestHub.json(hub.admin("GET", "/api/outbound/endpoints/" + endpointId, null));
            assertThat(ep.get("enabled").asBoolean()).isFalse();
            assertThat(ep.get("disabled_reason").asText()).contains("410");
            assertThat(rx.requests()).hasSize(1);
            // a disabled endpoint gets no new messages
            assertThat(publish(type, "{\"n\":2}")).isEmpty();
            await(() -> !watcher.requests().isEmpty(), Duration.ofSeconds(10), "endpoint.disabled event");
            String raised = new String(watcher.requests().get(0).body(), StandardCharsets.UTF_8);
            assertThat(raised).contains(endpointId).contains("endpoint.disabled").contains(id);
            // re-enabled by an operator, it gets messages again
            assertThat(hub.admin("PUT", "/api/outbound/endpoints/" + endpointId, "{\"enabled\":true}").statusCode())
                    .isEqualTo(200);
            assertThat(publish(type, "{\"n\":3}")).hasSize(1);
        }
    }

    @Test
    void otherClientErrorsFailAtOnceWithABackup() throws Exception {
        try (Receiver rx = Receiver.always(400)) {
            String type = event();
            createEndpoint(rx.url(), type, "github", "");
            String id = publish(type, "{\"n\":1}").get(0);
            JsonNode m = awaitStatus(id, "failed", Duration.ofSeconds(10));
            assertThat(m.get("attempts").asInt()).isEqualTo(1);
            await(() -> Files.exists(backupDir.resolve(id + ".json")), Duration.ofSeconds(5), "backup file");
            sleep(300);
            assertThat(rx.requests()).hasSize(1);
        }
    }

    @Test
    void timeoutIsRetried() {
        try (Receiver rx = new Receiver(n -> new Answer(200, Map.of(), n == 0 ? 2500 : 0))) {
            String type = event();
            createEndpoint(rx.url(), type, "github", ",\"timeout_seconds\":1");
            String id = publish(type, "{\"n\":1}").get(0);
            JsonNode m = awaitStatus(id, "delivered", Duration.ofSeconds(10));
            assertThat(m.get("attempt_history").get(0).get("error").asText()).contains("timeout");
            assertThat(m.get("attempt_history").get(0).get("status_code").isNull()).isTrue();
            assertThat(m.get("attempt_history")).hasSize(2);
        }
    }

    @Test
    void exhaustionWritesBackupAndRedeliveryFromTheApiSucceeds() throws Exception {
        try (Receiver rx = Receiver.always(503)) {
            String type = event();
            String endpointId = createEndpoint(rx.url(), type, "github", "").get("id").asText();
            String id = publish(type, "{\"result\":\"important\"}").get(0);
            JsonNode m = awaitStatus(id, "failed", Duration.ofSeconds(10));
            assertThat(m.get("attempt_history")).hasSize(3);
            assertThat(rx.requests()).hasSize(3);
            Path backup = backupDir.resolve(id + ".json");
            await(() -> Files.exists(backup), Duration.ofSeconds(5), "backup file");
            JsonNode saved = TestHub.MAPPER.readTree(backup.toFile());
            assertThat(saved.get("payload").get("result").asText()).isEqualTo("important");
            assertThat(saved.get("headers").get("X-Hub-Signature-256").asText()).startsWith("sha256=");
            assertThat(saved.get("attempts")).hasSize(3);
            assertThat(saved.get("attempts").get(2).get("status_code").asInt()).isEqualTo(503);

            JsonNode listed = TestHub.json(hub.admin("GET", "/api/outbound/endpoints/" + endpointId
                    + "/messages?status=failed", null));
            assertThat(listed.get("messages")).hasSize(1);
            assertThat(listed.get("messages").get(0).get("id").asText()).isEqualTo(id);

            rx.answers(n -> Answer.of(200));
            HttpResponse<String> r = hub.admin("POST", "/api/outbound/messages/" + id + "/redeliver", null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            JsonNode done = awaitStatus(id, "delivered", Duration.ofSeconds(10));
            assertThat(done.get("attempt_history")).hasSize(4);
            assertThat(done.get("attempts").asInt()).isEqualTo(1);

            // recover: every failed message of the endpoint since a time
            rx.answers(n -> Answer.of(503));
            String second = publish(type, "{\"result\":\"second\"}").get(0);
            awaitStatus(second, "failed", Duration.ofSeconds(10));
            rx.answers(n -> Answer.of(200));
            assertThat(hub.admin("POST", "/api/outbound/endpoints/" + endpointId + "/recover?since=yesterday", null)
                    .statusCode()).isEqualTo(400);
            HttpResponse<String> rec = hub.admin("POST", "/api/outbound/endpoints/" + endpointId
                    + "/recover?since=" + Instant.now().minusSeconds(3600), null);
            assertThat(rec.statusCode()).as(rec.body()).isEqualTo(202);
            assertThat(TestHub.json(rec).get("requeued").asInt()).isEqualTo(1);
            awaitStatus(second, "delivered", Duration.ofSeconds(10));
            assertThat(rx.requests()).hasSize(8);
        }
    }

    @Test
    void aDeadEndpointDoesNotDelayAnother() {
        try (Receiver dead = new Receiver(n -> new Answer(200, Map.of(), 20_000));
                Receiver alive = Receiver.always(200)) {
            String type = event();
            createEndpoint(dead.url(), type, "github", ",\"timeout_seconds\":15");
            createEndpoint(alive.url(), type, "github", "");
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                publish(type, "{\"i\":" + i + "}");
            }
            await(() -> alive.requests().size() == 20, Duration.ofSeconds(8), "20 deliveries to the live endpoint");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
            // the dead endpoint holds at most its share of senders
            assertThat(dead.requests().size()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void rotationSignsWithBothSecretsDuringTheGracePeriod() throws Exception {
        try (Receiver rx = Receiver.always(200)) {
            String type = event();
            JsonNode ep = createEndpoint(rx.url(), type, "standard-webhooks", "");
            String old = ep.get("secret").asText();
            HttpResponse<String> r = hub.admin("PUT", "/api/outbound/endpoints/" + ep.get("id").asText(),
                    "{\"rotate_secret\":true}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String fresh = TestHub.json(r).get("secret").asText();
            assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
            assertThat(TestHub.json(r).get("previous_secret_valid_until").isNull()).isFalse();
            String id = publish(type, "{\"n\":1}").get(0);
            awaitStatus(id, "delivered", Duration.ofSeconds(10));
            Receiver.Request req = rx.requests().get(0);
            String[] sigs = req.header("webhook-signature").split(" ");
            assertThat(sigs).hasSize(2);
            byte[] signed = (id + "." + req.header("webhook-timestamp") + ".").getBytes(StandardCharsets.UTF_8);
            assertThat(sigs[0]).isEqualTo("v1," + Base64.getEncoder().encodeToString(hmac(
                    Base64.getDecoder().decode(fresh.substring(6)), signed, req.body())));
            assertThat(sigs[1]).isEqualTo("v1," + Base64.getEncoder().encodeToString(hmac(
                    Base64.getDecoder().decode(old.substring(6)), signed, req.body())));
        }
    }

    @Test
    void endpointCrudAndValidation() {
        String base = "/api/outbound/endpoints";
        assertThat(hub.admin("POST", base, "{\"url\":\"ftp://x.test/\",\"event_types\":[\"a\"]}").statusCode())
                .isEqualTo(400);
        HttpResponse<String> bad = hub.admin("POST", base, "{\"url\":\"http://x.test/\",\"event_types\":[\"a b\"]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(bad).get("code").asText()).isEqualTo("invalid_event_types");
        assertThat(TestHub.json(bad).get("success").asBoolean()).isFalse();
        assertThat(hub.admin("POST", base, "{\"url\":\"http://x.test/\",\"event_types\":[\"a\"],"
                + "\"signature_scheme\":\"svix\"}").statusCode()).isEqualTo(400);
        assertThat(hub.admin("POST", base, "{\"url\":\"http://x.test/\",\"event_types\":[\"a\"],"
                + "\"timeout_seconds\":301}").statusCode()).isEqualTo(400);
        assertThat(hub.admin("POST", base, "{\"url\":\"http://x.test/\",\"event_types\":[\"a\"],"
                + "\"timeout_seconds\":0}").statusCode()).isEqualTo(400);
        assertThat(hub.admin("POST", base, "{\"url\":\"http://x.test/\",\"event_types\":[]}").statusCode())
                .isEqualTo(400);
        assertThat(hub.admin("POST", base, "{\"url\":\"http://x.test/\",\"event_types\":[\"a\"],"
                + "\"headers\":{\"Host\":\"evil\"}}").statusCode()).isEqualTo(400);
        assertThat(hub.admin("POST", base, "{\"url\":\"http://x.test/\",\"event_types\":[\"a\"],\"bogus\":1}")
                .statusCode()).isEqualTo(400);
        assertThat(hub.admin("POST", base, "not json").statusCode()).isEqualTo(400);

        JsonNode created = createEndpoint("https://x.test/hook", "pipeline.*", "jobserv",
                ",\"description\":\"ci\",\"rate_limit\":5");
        String id = created.get("id").asText();
        assertThat(created.get("timeout_seconds").asInt()).isEqualTo(30);
        assertThat(created.get("enabled").asBoolean()).isTrue();
        assertThat(created.get("secret").asText()).hasSizeGreaterThan(20);
        HttpResponse<String> put = hub.admin("PUT", base + "/" + id, "{\"enabled\":false,\"timeout_seconds\":10}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(TestHub.json(put).get("timeout_seconds").asInt()).isEqualTo(10);
        assertThat(TestHub.json(put).has("secret")).isFalse();
        JsonNode list = TestHub.json(hub.admin("GET", base, null));
        assertThat(list.get("endpoints").findValuesAsText("id")).contains(id);
        assertThat(hub.admin("DELETE", base + "/" + id, null).statusCode()).isEqualTo(204);
        assertThat(hub.admin("GET", base + "/" + id, null).statusCode()).isEqualTo(404);
        assertThat(hub.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.url(base))).GET())
                .statusCode()).isEqualTo(401);
    }

    @Test
    void rateLimitSpreadsMessagesOverSeconds() {
        try (Receiver rx = Receiver.always(200)) {
            String type = event();
            createEndpoint(rx.url(), type, "github", ",\"rate_limit\":2");
            for (int i = 0; i < 6; i++) {
                publish(type, "{\"i\":" + i + "}");
            }
            await(() -> rx.requests().size() == 6, Duration.ofSeconds(10), "6 deliveries");
            // 2 per second: 6 messages are claimed in three distinct seconds, so over more than one second
            assertThat(Duration.between(rx.requests().get(0).at(), rx.requests().get(5).at()))
                    .isGreaterThan(Duration.ofMillis(900));
        }
    }

    @Test
    void prefixPatternsMatchEvents() {
        try (Receiver rx = Receiver.always(200)) {
            String prefix = event();
            createEndpoint(rx.url(), prefix + ".*", "github", "");
            assertThat(publish(prefix + ".completed", "{}")).hasSize(1);
            assertThat(publish(prefix + "x.completed", "{}")).isEmpty();
        }
    }

    /** Every value of the row, as text, for checking that no plaintext credential is stored. */
    static String row(String sql, String id) throws Exception {
        StringBuilder b = new StringBuilder();
        try (java.sql.Connection c = hub.dataSource().getConnection();
                java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(sql + " " + id).isTrue();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    b.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append('\n');
                }
            }
        }
        return b.toString();
    }

    @Test
    void credentialsAreEncryptedAtRestMaskedInAnswersAndStillSent() throws Exception {
        try (Receiver rx = Receiver.always(200)) {
            String type = event();
            String port = rx.url().replaceAll("^http://127\\.0\\.0\\.1:(\\d+)/.*$", "$1");
            String[] secrets = { "Bearer xyz-token-42", "hub-user", "s3cret-pass", "k3y-0123456789abcdef",
                    "q-secret-77", "api-key-99" };
            // a custom Authorization header; a URL with user info, a token in its path and one in its query
            JsonNode bearer = createEndpoint(rx.url(), type, "github",
                    ",\"headers\":{\"Authorization\":\"Bearer xyz-token-42\",\"X-Team\":\"ops\"}");
            String userInfoUrl = "http://hub-user:s3cret-pass@127.0.0.1:" + port + "/in/k3y-0123456789abcdef/x"
                    + "?token=q-secret-77&v=1";
            JsonNode basic = createEndpoint(userInfoUrl, type, "github", ",\"headers\":{\"X-Api-Key\":\"api-key-99\"}");

            // answers show them masked
            assertThat(bearer.get("url").asText()).isEqualTo(rx.url());
            assertThat(bearer.get("headers").get("Authorization").asText()).isEqualTo("****");
            assertThat(bearer.get("headers").get("X-Team").asText()).isEqualTo("****");
            assertThat(basic.get("url").asText())
                    .isEqualTo("http://****@127.0.0.1:" + port + "/in/****/****?token=****&v=****");
            String answers = hub.admin("GET", "/api/outbound/endpoints", null).body()
                    + hub.admin("GET", "/api/outbound/endpoints/" + basic.get("id").asText(), null).body()
                    + hub.admin("GET", "/api/outbound/endpoints/" + bearer.get("id").asText(), null).body()
                    + bearer + basic;
            assertThat(answers).doesNotContain(secrets);
            // the store holds them encrypted only
            for (JsonNode e : List.of(bearer, basic)) {
                String stored = row("SELECT * FROM outbound_endpoints WHERE id = ?", e.get("id").asText());
                assertThat(stored).doesNotContain(secrets).containsIgnoringCase("url_enc=v1:");
            }

            // the receiver gets the real values
            String id = publish(type, "{\"n\":1}").get(0);
            await(() -> rx.requests().size() == 2, Duration.ofSeconds(10), "both endpoints delivered");
            Receiver.Request viaHeader = rx.requests().stream().filter(q -> q.target().equals("/hook")).findFirst()
                    .orElseThrow();
            Receiver.Request viaUserInfo = rx.requests().stream().filter(q -> !q.target().equals("/hook"))
                    .findFirst().orElseThrow();
            assertThat(viaHeader.header("authorization")).isEqualTo("Bearer xyz-token-42");
            assertThat(viaHeader.header("x-team")).isEqualTo("ops");
            assertThat(viaUserInfo.header("authorization")).isEqualTo("Basic "
                    + Base64.getEncoder().encodeToString("hub-user:s3cret-pass".getBytes(StandardCharsets.UTF_8)));
            assertThat(viaUserInfo.header("x-api-key")).isEqualTo("api-key-99");
            assertThat(viaUserInfo.target()).isEqualTo("/in/k3y-0123456789abcdef/x?token=q-secret-77&v=1");
            awaitStatus(id, "delivered", Duration.ofSeconds(10));

            // sending the masked values back keeps the stored ones
            HttpResponse<String> r = hub.admin("PUT", "/api/outbound/endpoints/" + basic.get("id").asText(),
                    "{\"url\":\"" + basic.get("url").asText() + "\",\"headers\":{\"X-Api-Key\":\"****\","
                            + "\"X-Extra\":\"new\"},\"description\":\"edited\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).doesNotContain(secrets);
            r = hub.admin("PUT", "/api/outbound/endpoints/" + bearer.get("id").asText(),
                    "{\"headers\":{\"Authorization\":\"****\"}}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            // a mask that stands for nothing stored is refused
            r = hub.admin("PUT", "/api/outbound/endpoints/" + bearer.get("id").asText(),
                    "{\"headers\":{\"X-Other\":\"****\"}}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(TestHub.json(r).get("code").asText()).isEqualTo("invalid_headers");
            r = hub.admin("PUT", "/api/outbound/endpoints/" + bearer.get("id").asText(),
                    "{\"url\":\"http://****@127.0.0.1:" + port + "/hook\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(TestHub.json(r).get("code").asText()).isEqualTo("invalid_url");

            publish(type, "{\"n\":2}");
            await(() -> rx.requests().size() == 4, Duration.ofSeconds(10), "both endpoints delivered again");
            List<Receiver.Request> second = rx.requests().subList(2, 4);
            Receiver.Request again = second.stream().filter(q -> !q.target().equals("/hook")).findFirst()
                    .orElseThrow();
            assertThat(again.target()).isEqualTo("/in/k3y-0123456789abcdef/x?token=q-secret-77&v=1");
            assertThat(again.header("authorization")).startsWith("Basic ");
            assertThat(again.header("x-api-key")).isEqualTo("api-key-99");
            assertThat(again.header("x-extra")).isEqualTo("new");
            assertThat(second.stream().filter(q -> q.target().equals("/hook")).findFirst().orElseThrow()
                    .header("authorization")).isEqualTo("Bearer xyz-token-42");
            assertThat(row("SELECT * FROM outbound_endpoints WHERE id = ?", basic.get("id").asText()))
                    .doesNotContain(secrets);
        }
    }
}
