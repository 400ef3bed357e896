package dev.webhookhub.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.deliveries.DeliveryEvent;
import dev.webhookhub.deliveries.ReceivedDelivery;
import dev.webhookhub.store.Service;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Service SERVICE = new Service("svc-1", "shop", "https://example.test/shop.git", "main", "{}",
            "active", Instant.now(), Instant.now());

    private static JsonNode build(PushInfo push) throws Exception {
        ReceivedDelivery d = new ReceivedDelivery("github", SERVICE.id());
        d.identify("delivery-1", "push");
        DeliveryEvent event = EventEnvelope.build(d, SERVICE, EventEnvelope.type("github", "push", push), push,
                MAPPER.createObjectNode());
        assertThat(event.payload()).as("a push travels without its body").isNull();
        // the JSON form (stored with the row, read back by recovery) is the event again
        assertThat(DeliveryEvent.fromJson(event.toJson())).isEqualTo(event);
        return MAPPER.readTree(event.toJson());
    }

    @Test
    void aPushIsCarriedWholeWhenItFits() throws Exception {
        JsonNode e = build(new PushInfo(PushInfo.Kind.BRANCH, "main", "a".repeat(40), "Fix it", "Octo Cat",
                "https://github.com/o/r", "https://github.com/o/r/compare/x...y"));
        assertThat(e.get("type").asText()).isEqualTo("git.push");
        assertThat(e.get("subject").asText()).isEqualTo("shop@main");
        JsonNode data = e.get("data");
        assertThat(data.get("branch").asText()).isEqualTo("main");
        assertThat(data.get("tag").isNull()).isTrue();
        assertThat(data.get("commitMessage").asText()).isEqualTo("Fix it");
        assertThat(data.get("author").asText()).isEqualTo("Octo Cat");
        assertThat(data.get("compareUrl").asText()).isEqualTo("https://github.com/o/r/compare/x...y");
    }

    @Test
    void aCiEventTravelsWithItsParsedBody() {
        ReceivedDelivery d = new ReceivedDelivery("github", SERVICE.id());
        d.identify("delivery-2", "workflow_run");
        JsonNode body = MAPPER.createObjectNode().put("action", "completed");
        DeliveryEvent event = EventEnvelope.build(d, SERVICE, EventEnvelope.type("github", "workflow_run", null),
                null, body);
        assertThat(event.type()).isEqualTo("github.workflow_run");
        assertThat(event.payload()).isSameAs(body);
        assertThat(event.toJson()).doesNotContain("completed");
        assertThat(DeliveryEvent.fromJson(event.toJson()).payload()).isNull();
        // the broker form carries the parsed body along
        assertThat(DeliveryEvent.fromJson(event.toJson(true))).isEqualTo(event);
    }

    /** A signed push with megabytes of commit message must still fit the delivery row it is stored in. */
    @Test
    void hugeFieldsAreCutToWhatTheStoreKeeps() throws Exception {
        String message = "m".repeat(2_000_000);
        String ref = "r".repeat(100_000);
        JsonNode e = build(new PushInfo(PushInfo.Kind.TAG, ref, "b".repeat(500), message, "A".repeat(5_000),
                "https://x/" + "u".repeat(5_000), "https://x/" + "c".repeat(5_000)));
        assertThat(e.toString().length()).isLessThan(100_000);
        JsonNode data = e.get("data");
        assertThat(data.get("commitMessage").asText()).hasSize(EventEnvelope.COMMIT_MESSAGE_CHARS)
                .isEqualTo(message.substring(0, EventEnvelope.COMMIT_MESSAGE_CHARS));
        assertThat(data.get("tag").asText()).hasSize(255);
        assertThat(e.get("subject").asText()).isEqualTo("shop@" + "r".repeat(255));
        assertThat(data.get("commitSha").asText()).hasSize(64);
        assertThat(data.get("author").asText()).hasSize(255);
        assertThat(data.get("repositoryUrl").asText()).hasSize(1000);
        assertThat(data.get("compareUrl").asText()).hasSize(1000);
    }
}
