package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.TestHub;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A receiver down while the hub restarts: the message survives in the outbox and is delivered after. */
class OutboundRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void messagesSurviveARestartAndAreDeliveredWhenTheReceiverComesBack() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("hub.outbound.retry-schedule", "0s,1s,1s,1s,1s,1s,1s,1s,1s,1s");
        settings.put("hub.outbound.retry-jitter", "0");
        settings.put("hub.outbound.poll-interval-ms", "50");
        String messageId;
        try (TestHub hub = TestHub.start(dataDir, settings)) {
            HttpResponse<String> r = hub.admin("POST", "/api/outbound/endpoints", "{\"url\":\"http://127.0.0.1:"
                    + port + "/hook\",\"event_types\":[\"pipeline.completed\"],\"signature_scheme\":\"github\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            messageId = hub.context().getRegistry().lookupByNameAndType("outboundPublisher", OutboundPublisher.class)
                    .publish("pipeline.completed", "{\"pipeline_id\":\"p-9\"}").get(0);
            long deadline = System.currentTimeMillis() + 10_000;
            JsonNode m;
            do {
                Thread.sleep(50);
                m = TestHub.json(hub.admin("GET", "/api/outbound/messages/" + messageId, null));
            } while (m.get("attempt_history").isEmpty() && System.currentTimeMillis() < deadline);
            assertThat(m.get("attempt_history").get(0).get("error").asText()).contains("connection");
            assertThat(m.get("status").asText()).isIn("pending", "delivering");
        }
        try (Receiver back = new Receiver(port, n -> Receiver.Answer.of(200));
                TestHub hub = TestHub.start(dataDir, settings)) {
            long deadline = System.currentTimeMillis() + 15_000;
            JsonNode m;
            do {
                Thread.sleep(100);
                m = TestHub.json(hub.admin("GET", "/api/outbound/messages/" + messageId, null));
            } while (!"delivered".equals(m.get("status").asText()) && System.currentTimeMillis() < deadline);
            assertThat(m.get("status").asText()).as(m.toString()).isEqualTo("delivered");
            assertThat(back.requests()).hasSize(1);
            assertThat(back.requests().get(0).header("x-webhook-hub-message-id")).isEqualTo(messageId);
            assertThat(new String(back.requests().get(0).body())).isEqualTo("{\"pipeline_id\":\"p-9\"}");
        }
    }
}
