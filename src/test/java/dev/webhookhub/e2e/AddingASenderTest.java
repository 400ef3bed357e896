package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README "Adding a sender": a made-up sender ("acme") added with a YAML route over the shared receiver steps
 * (src/test/resources/sender-routes/acme-webhook.yaml) and two settings, no Java: signed deliveries are verified by
 * the registry's scheme, recorded, deduped, queued and processed like any other sender's.
 */
class AddingASenderTest {

    private static final String SECRET = "acme-secret-" + UUID.randomUUID();

    @TempDir
    static Path dataDir;
    static TestHub hub;

    @BeforeAll
    static void startHub() {
        Path routes = TestHub.projectDir().resolve("routes");
        Map<String, String> settings = new HashMap<>();
        settings.put("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml,file:" + routes
                + "/connectors/*.yaml,file:" + TestHub.projectDir().resolve("src/test/resources/sender-routes")
                + "/*.yaml");
        settings.put("hub.senders.acme.scheme", "webhook-signature");
        settings.put("hub.senders.acme.secret", SECRET);
        hub = TestHub.start(dataDir, settings);
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aSignedDeliveryIsAcceptedRecordedProcessedAndDeduped() throws Exception {
        byte[] body = "{\"id\":\"acme-1\",\"type\":\"ticket.closed\",\"ticket\":42}".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> r = post(body, Signatures.githubSha256(SECRET, body));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode answer = TestHub.MAPPER.readTree(r.body());
        assertThat(answer.get("status").asText()).isEqualTo("accepted");
        assertThat(answer.get("providerDeliveryId").asText()).isEqualTo("acme-1");
        assertThat(answer.get("event").asText()).isEqualTo("ticket.closed");
        String deliveryId = answer.get("deliveryId").asText();
        Await.until(() -> "processed".equals(column(deliveryId, "status")), Duration.ofSeconds(10),
                "the acme delivery is processed by the worker");
        assertThat(column(deliveryId, "provider")).isEqualTo("acme");
        assertThat(column(deliveryId, "signature_valid")).isEqualToIgnoringCase("true");
        assertThat(TestHub.MAPPER.readTree(column(deliveryId, "event")).get("type").asText())
                .isEqualTo("acme.ticket.closed");

        HttpResponse<String> again = post(body, Signatures.githubSha256(SECRET, body));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(TestHub.MAPPER.readTree(again.body()).get("status").asText()).isEqualTo("duplicate");
    }

    @Test
    void aWrongOrMissingSignatureIs401AndAnUnconfiguredSenderNothing() throws Exception {
        byte[] body = "{\"id\":\"acme-2\",\"type\":\"ticket.opened\"}".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> forged = post(body, Signatures.githubSha256("not-the-secret", body));
        assertThat(forged.statusCode()).isEqualTo(401);
        JsonNode error = TestHub.MAPPER.readTree(forged.body());
        assertThat(error.get("success").asBoolean()).isFalse();
        assertThat(error.get("code").asText()).isEqualTo("invalid_signature");

        HttpResponse<String> unsigned = post(body, null);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(TestHub.MAPPER.readTree(unsigned.body()).get("code").asText()).isEqualTo("missing_signature");

        // the genuine one afterwards is still taken in: refused copies left no dedupe key behind
        assertThat(post(body, Signatures.githubSha256(SECRET, body)).statusCode()).isEqualTo(202);

        // CloudEvents senders can subscribe (OPTIONS handshake) on the senders' path too
        HttpResponse<String> handshake = hub.send(HttpRequest.newBuilder(URI.create(
                hub.url("/api/webhooks/senders/acme"))).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("WebHook-Request-Origin", "acme.example.com"));
        assertThat(handshake.statusCode()).isEqualTo(200);
        assertThat(handshake.headers().firstValue("WebHook-Allowed-Origin")).hasValue("acme.example.com");
    }

    private static HttpResponse<String> post(byte[] body, String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url("/api/webhooks/senders/acme")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header("X-Webhook-Signature", signature);
        }
        return hub.send(b);
    }

    private static String column(String deliveryId, String column) {
        try (Connection c = hub.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + column
                        + " FROM webhook_deliveries WHERE id = ?")) {
            ps.setString(1, deliveryId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? rs.getObject(1).toString() : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
