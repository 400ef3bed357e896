package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An endpoint that keeps failing for longer than HUB_OUTBOUND_DISABLE_AFTER is disabled. */
class OutboundFailingEndpointTest {

    @TempDir
    Path dataDir;

    @Test
    void anEndpointFailingTooLongIsDisabled() throws Exception {
        Map<String, String> settings = Map.of("hub.outbound.retry-schedule", "0s" + ",300ms".repeat(20),
                "hub.outbound.retry-jitter", "0", "hub.outbound.poll-interval-ms", "50",
                "hub.outbound.disable-after", "1s");
        try (Receiver rx = Receiver.always(500); TestHub hub = TestHub.start(dataDir, settings)) {
            HttpResponse<String> r = hub.admin("POST", "/api/outbound/endpoints", "{\"url\":\"" + rx.url()
                    + "\",\"event_types\":[\"build.completed\"],\"signature_scheme\":\"jobserv\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            String endpointId = TestHub.json(r).get("id").asText();
            hub.context().getRegistry().lookupByNameAndType("outboundPublisher", OutboundPublisher.class)
                    .publish("build.completed", "{\"build_id\": 1}");
            long deadline = System.currentTimeMillis() + 10_000;
            JsonNode ep;
            do {
                Thread.sleep(100);
                ep = TestHub.json(hub.admin("GET", "/api/outbound/endpoints/" + endpointId, null));
            } while (ep.get("enabled").asBoolean() && System.currentTimeMillis() < deadline);
            assertThat(ep.get("enabled").asBoolean()).isFalse();
            assertThat(ep.get("disabled_reason").asText()).contains("failing since");
            assertThat(ep.get("failing_since").isNull()).isFalse();
            int seen = rx.requests().size();
            assertThat(seen).isGreaterThanOrEqualTo(3);
            Thread.sleep(700);
            assertThat(rx.requests()).as("no attempts while disabled").hasSize(seen);
        }
    }
}
