package dev.webhookhub.kafka;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.events.HubEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Message;

/**
 * Scaled mode: the dashboard's live stream reads every instance's bus events from the bus-events topic (each instance
 * in its own consumer group, from the newest record on), so the dashboard of any instance shows the work of all of
 * them. {@link #event} turns such a record (written by {@link KafkaEventsOutput}) back into the {@link HubEvent} the
 * stream takes; an event from the in-process bus passes unchanged.
 */
public final class BusEventRecords {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper mapper;

    public BusEventRecords(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public HubEvent event(Message message) throws IOException {
        Object body = message.getBody();
        if (body instanceof HubEvent e) {
            return e;
        }
        Map<String, Object> h = message.getHeaders();
        String value = message.getBody(String.class);
        return new HubEvent(text(h, "id"), text(h, "type"), Instant.parse(text(h, "time")), text(h, "hubsubjectkey"),
                text(h, "subject"), text(h, "hubserviceid"), text(h, "hubsyncconfigid"),
                value == null ? Map.of() : mapper.readValue(value, MAP));
    }

    private static String text(Map<String, Object> headers, String attribute) {
        return CloudEventsBinding.text(headers.get(CloudEventsBinding.PREFIX + attribute));
    }
}
