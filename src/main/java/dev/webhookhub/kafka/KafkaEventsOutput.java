package dev.webhookhub.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.events.HubEvent;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * The bus-events output (HUB_EVENTS_KAFKA_TOPIC): {@link #accepts} selects the event types to publish (all when none
 * are listed) and {@link #process} turns a bus event into a binary-mode CloudEvents record: value = the event's data
 * (JSON), headers ce_specversion, ce_id, ce_source, ce_type (the bus type, e.g. webhook_received), ce_subject,
 * ce_time, content-type, and the extensions ce_hubsubjectkey, ce_hubserviceid, ce_hubsyncconfigid; keyed by the
 * service id (else the sync config id, else the subject key) so one service's events stay in order.
 */
public final class KafkaEventsOutput implements Processor {

    public static final String SOURCE = "/webhook-hub/events";

    private final ObjectMapper mapper;
    private final Set<String> types;

    public KafkaEventsOutput(ObjectMapper mapper, Set<String> types) {
        this.mapper = mapper;
        this.types = Set.copyOf(types);
    }

    public boolean accepts(HubEvent event) {
        return event != null && (types.isEmpty() || types.contains(event.type()));
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        HubEvent e = exchange.getMessage().getBody(HubEvent.class);
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(CloudEventsBinding.PREFIX + "specversion", "1.0");
        m.setHeader(CloudEventsBinding.PREFIX + "id", e.id());
        m.setHeader(CloudEventsBinding.PREFIX + "source", SOURCE);
        m.setHeader(CloudEventsBinding.PREFIX + "type", e.type());
        m.setHeader(CloudEventsBinding.PREFIX + "time", e.time().toString());
        if (e.subject() != null) {
            m.setHeader(CloudEventsBinding.PREFIX + "subject", e.subject());
        }
        if (e.subjectKey() != null) {
            m.setHeader(CloudEventsBinding.PREFIX + "hubsubjectkey", e.subjectKey());
        }
        if (e.serviceId() != null) {
            m.setHeader(CloudEventsBinding.PREFIX + "hubserviceid", e.serviceId());
        }
        if (e.syncConfigId() != null) {
            m.setHeader(CloudEventsBinding.PREFIX + "hubsyncconfigid", e.syncConfigId());
        }
        m.setHeader(CloudEventsBinding.CONTENT_TYPE, "application/json");
        String key = e.serviceId() != null ? e.serviceId() : e.syncConfigId() != null ? e.syncConfigId()
                : e.subjectKey();
        if (key != null) {
            m.setHeader(KafkaConstants.KEY, key);
        }
        m.setBody(mapper.writeValueAsString(e.data()));
    }
}
