package dev.webhookhub.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.store.TimeOrderedIds;
import java.io.IOException;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * The sync target "kafka" (routes/connectors/target-kafka.yaml), bound as {@code syncKafkaTarget}: makes each
 * mapped item (or a batch run's JSON array) a binary-mode CloudEvents record: value = the item, ce_type
 * {@code sync.item.created|updated} ({@code sync.items} for a batch), ce_subject = the item's source id, keyed by the
 * item's {@code key_field} (else its source id) so one item's versions stay in order.
 */
public final class KafkaTargetConnector {

    /** Headers the sync runner sets on the exchange it hands a target. */
    static final String OPERATION = "CamelSyncOperation";
    static final String SOURCE_ID = "CamelSyncSourceId";
    static final String TARGET_ID = "CamelSyncTargetId";

    private final ObjectMapper mapper;

    public KafkaTargetConnector(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Before the record is sent: body, key and CloudEvents headers (other headers are dropped). */
    public void prepare(Exchange exchange) throws IOException {
        Message m = exchange.getMessage();
        String body = m.getBody(String.class);
        String operation = m.getHeader(OPERATION, String.class);
        String sourceId = m.getHeader(SOURCE_ID, String.class);
        String keyField = exchange.getProperty("syncKeyField", String.class);
        String source = exchange.getProperty("syncCeSource", String.class);
        String key = sourceId;
        if (keyField != null && !keyField.isBlank() && !"batch".equals(operation)) {
            JsonNode v = mapper.readTree(body).get(keyField);
            if (v != null && !v.isNull()) {
                key = v.asText();
            }
        }
        m.removeHeaders("*");
        m.setHeader(CloudEventsBinding.PREFIX + "specversion", "1.0");
        m.setHeader(CloudEventsBinding.PREFIX + "id", TimeOrderedIds.next());
        m.setHeader(CloudEventsBinding.PREFIX + "source", source == null || source.isBlank() ? "/webhook-hub/sync"
                : source);
        m.setHeader(CloudEventsBinding.PREFIX + "type", "batch".equals(operation) ? "sync.items"
                : "update".equals(operation) ? "sync.item.updated" : "sync.item.created");
        m.setHeader(CloudEventsBinding.PREFIX + "time", Instant.now().toString());
        if (sourceId != null) {
            m.setHeader(CloudEventsBinding.PREFIX + "subject", sourceId);
        }
        m.setHeader(CloudEventsBinding.CONTENT_TYPE, "application/json");
        if (key != null) {
            m.setHeader(KafkaConstants.KEY, key);
        }
        exchange.setProperty("syncSourceId", sourceId);
        m.setBody(body);
    }

    /** After the record is acknowledged: the item's id in the target is its source id. */
    public void done(Exchange exchange) {
        Message m = exchange.getMessage();
        String sourceId = exchange.getProperty("syncSourceId", String.class);
        m.removeHeaders("*");
        if (sourceId != null) {
            m.setHeader(TARGET_ID, sourceId);
        }
    }
}
