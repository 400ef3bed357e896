package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.TestHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PIPELINE_RESULTS_WEBHOOK_URL from the product document: an endpoint for pipeline.completed, ensured at start. */
class PipelineResultsWebhookUrlTest {

    @TempDir
    Path dataDir;

    @Test
    void theConfiguredUrlReceivesSignedPipelineResultsAndIsCreatedOnce() throws Exception {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        try (Receiver rx = Receiver.always(200)) {
            Map<String, String> settings = Map.of("hub.outbound.pipeline-results-url", rx.url(),
                    "hub.outbound.pipeline-results-secret", secret, "hub.outbound.poll-interval-ms", "50");
            try (TestHub hub = TestHub.start(dataDir, settings)) {
                JsonNode list = TestHub.json(hub.admin("GET", "/api/outbound/endpoints", null)).get("endpoints");
                assertThat(list).hasSize(1);
                assertThat(list.get(0).get("url").asText()).isEqualTo(rx.url());
                assertThat(list.get(0).get("event_types").get(0).asText()).isEqualTo("pipeline.completed");
                String body = "{\"event_type\": \"pipeline_complete\", \"version\": \"1.0\"}";
                String id = hub.context().getRegistry().lookupByNameAndType("outboundPublisher",
                        OutboundPublisher.class).publish("pipeline.completed", body).get(0);
                long deadline = System.currentTimeMillis() + 10_000;
                while (rx.requests().isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(rx.requests()).hasSize(1);
                Receiver.Request req = rx.requests().get(0);
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
                mac.update((id + "." + req.header("webhook-timestamp") + ".").getBytes(StandardCharsets.UTF_8));
                assertThat(req.header("webhook-signature"))
                        .isEqualTo("v1," + Base64.getEncoder().encodeToString(mac.doFinal(req.body())));
            }
            try (TestHub hub = TestHub.start(dataDir, Map.of("hub.outbound.pipeline-results-url", rx.url()))) {
                assertThat(TestHub.json(hub.admin("GET", "/api/outbound/endpoints", null)).get("endpoints"))
                        .hasSize(1);
            }
        }
    }
}
