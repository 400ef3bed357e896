package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSRF guard end to end: with the default (empty) hub.outbound.allowed-networks, the API refuses internal
 * destinations, and a destination that was allowed when it was saved is refused when the hub connects (here the
 * allow-list narrowed across a restart, as a DNS answer changing to an internal address would; the resolver-level
 * check itself is in OutboundHttpClientTest and DestinationPolicyTest).
 */
class OutboundDestinationsTest {

    @TempDir
    Path dataDir;

    private static final Map<String, String> FAST = Map.of("hub.outbound.poll-interval-ms", "50",
            "hub.outbound.retry-schedule", "0s,100ms,100ms", "hub.outbound.retry-jitter", "0");

    @Test
    void internalDestinationsAreRefusedWhenSavedAndWhenConnecting() throws Exception {
        try (Receiver rx = Receiver.always(200)) {
            String port = rx.url().replaceAll("^http://127\\.0\\.0\\.1:(\\d+)/.*$", "$1");
            String endpointId;
            // TestHub allows 127.0.0.0/8 by default: a local receiver gets its delivery
            try (TestHub hub = TestHub.start(dataDir, FAST)) {
                HttpResponse<String> r = hub.admin("POST", "/api/outbound/endpoints", "{\"url\":\"" + rx.url()
                        + "\",\"event_types\":[\"demo.ssrf\"]}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                endpointId = TestHub.json(r).get("id").asText();
                String id = publish(hub, "demo.ssrf").get(0);
                awaitStatus(hub, id, "delivered");
                assertThat(rx.requests()).hasSize(1);
            }

            Map<String, String> defaults = new java.util.HashMap<>(FAST);
            defaults.put("hub.outbound.allowed-networks", "");
            try (TestHub hub = TestHub.start(dataDir, defaults)) {
                for (String url : List.of("http://127.0.0.1:" + port + "/", "http://2130706433/", "http://0.0.0.0/",
                        "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://localhost/",
                        "http://localhost:" + port + "/hook", "http://0x7f000001/", "http://017700000001/",
                        "http://[::ffff:127.0.0.1]/", "http://10.0.0.8/", "http://192.168.1.1/",
                        "http://100.64.0.1/", "https://user:pw@127.0.0.1/")) {
                    HttpResponse<String> r = hub.admin("POST", "/api/outbound/endpoints", "{\"url\":\"" + url
                            + "\",\"event_types\":[\"demo.ssrf\"]}");
                    assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(400);
                    JsonNode e = TestHub.json(r);
                    assertThat(e.get("success").asBoolean()).isFalse();
                    assertThat(e.get("code").asText()).as(url).isEqualTo("destination_not_allowed");
                    assertThat(e.get("error").asText()).as(url).startsWith("url: ")
                            .contains("HUB_OUTBOUND_ALLOWED_NETWORKS");
                }
                // 127.1 is not even a URL host Java accepts
                assertThat(hub.admin("POST", "/api/outbound/endpoints",
                        "{\"url\":\"http://127.1/\",\"event_types\":[\"demo.ssrf\"]}").statusCode()).isEqualTo(400);
                assertThat(TestHub.json(hub.admin("GET", "/api/outbound/endpoints", null)).get("endpoints"))
                        .as("nothing refused was stored").hasSize(1);

                // an update moving an endpoint to an internal address is refused; other changes are not
                HttpResponse<String> r = hub.admin("PUT", "/api/outbound/endpoints/" + endpointId,
                        "{\"url\":\"http://169.254.169.254/latest/meta-data/iam\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                assertThat(TestHub.json(r).get("code").asText()).isEqualTo("destination_not_allowed");
                r = hub.admin("PUT", "/api/outbound/endpoints/" + endpointId, "{\"description\":\"kept\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

                // notification URLs: the same check, naming the recipient
                r = hub.admin("POST", "/api/notifications", "{\"notification_type\":\"slack\","
                        + "\"event_triggers\":[\"build_failed\"],\"recipients\":[\"http://169.254.169.254/hook\"]}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                assertThat(TestHub.json(r).get("code").asText()).isEqualTo("destination_not_allowed");
                assertThat(TestHub.json(r).get("error").asText()).startsWith("recipients[0]: ");
                r = hub.admin("POST", "/api/notifications", "{\"notification_type\":\"webhook\","
                        + "\"event_triggers\":[\"build_failed\"],\"recipients\":[\"https://hooks.example.com/x\","
                        + "\"http://localhost:" + port + "/hook\"]}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                assertThat(TestHub.json(r).get("error").asText()).startsWith("recipients[1]: ");
                assertThat(TestHub.json(hub.admin("GET", "/api/notifications", null)).get("notifications"))
                        .isEmpty();

                // the endpoint saved while loopback was allowed: refused when the hub connects, failed at once
                String id = publish(hub, "demo.ssrf").get(0);
                JsonNode m = awaitStatus(hub, id, "failed");
                assertThat(m.get("attempts").asInt()).as("not retried").isEqualTo(1);
                assertThat(m.get("last_error").asText()).startsWith("destination refused: ")
                        .contains("127.0.0.1 is a loopback address");
                assertThat(m.get("attempt_history")).hasSize(1);
                assertThat(m.get("attempt_history").get(0).get("error").asText()).contains("destination refused");
                assertThat(rx.requests()).as("nothing reached the receiver").hasSize(1);
            }
        }
    }

    private static List<String> publish(TestHub hub, String type) {
        return hub.context().getRegistry().lookupByNameAndType("outboundPublisher", OutboundPublisher.class)
                .publish(type, "{\"n\":1}");
    }

    private static JsonNode awaitStatus(TestHub hub, String messageId, String status) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        Await.until(() -> {
            HttpResponse<String> r = hub.admin("GET", "/api/outbound/messages/" + messageId, null);
            last.set(TestHub.json(r));
            return status.equals(last.get().path("status").asText());
        }, Duration.ofSeconds(15), "message " + messageId + " " + status);
        return last.get();
    }
}
