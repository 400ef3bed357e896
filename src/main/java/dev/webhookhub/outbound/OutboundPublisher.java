package dev.webhookhub.outbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.store.TimeOrderedIds;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point for everything that sends events out: writes one outbox row per enabled endpoint subscribed to the
 * event, in one transaction, before any attempt. The dispatcher route picks them up.
 */
public final class OutboundPublisher {

    private final OutboundStore store;
    private final ObjectMapper mapper;
    private final RetrySchedule schedule;
    private final Clock clock;

    public OutboundPublisher(OutboundStore store, ObjectMapper mapper, RetrySchedule schedule, Clock clock) {
        this.store = store;
        this.mapper = mapper;
        this.schedule = schedule;
        this.clock = clock;
    }

    /** Returns the ids of the messages written (one per subscribed endpoint). The payload must be valid JSON. */
    public List<String> publish(String eventType, String payloadJson) {
        List<OutboundMessage> rows = messages(eventType, payloadJson);
        store.insertMessages(rows);
        return rows.stream().map(OutboundMessage::id).toList();
    }

    /**
     * Like {@link #publish(String, String)}, but writes the outbox rows on {@code c} inside the caller's transaction,
     * so the caller's own state change and the messages it causes commit (or roll back) together. The caller commits
     * and flushes the store.
     */
    public List<String> publish(Connection c, String eventType, String payloadJson) throws SQLException {
        List<OutboundMessage> rows = messages(eventType, payloadJson);
        store.insertMessages(c, rows);
        return rows.stream().map(OutboundMessage::id).toList();
    }

    /**
     * Writes one message addressed to one endpoint, whatever it subscribes to (notification channels: Slack, Teams,
     * webhook URLs); it is signed, retried and backed up like every outbound message. Returns the message id.
     */
    public String sendTo(String endpointId, String eventType, String payloadJson) {
        byte[] payload = checked(eventType, payloadJson);
        Instant now = clock.instant();
        OutboundMessage m = new OutboundMessage(TimeOrderedIds.next(), endpointId, eventType, payload,
                OutboundMessage.PENDING, 0, now.plus(schedule.first()), null, null, now, null);
        store.insertMessages(List.of(m));
        return m.id();
    }

    private byte[] checked(String eventType, String payloadJson) {
        if (eventType == null || eventType.isBlank()) {
            throw new IllegalArgumentException("an event type is required");
        }
        try {
            mapper.readTree(payloadJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the payload of " + eventType + " is not valid JSON", e);
        }
        return payloadJson.getBytes(StandardCharsets.UTF_8);
    }

    private List<OutboundMessage> messages(String eventType, String payloadJson) {
        byte[] payload = checked(eventType, payloadJson);
        Instant now = clock.instant();
        List<OutboundMessage> rows = new ArrayList<>();
        for (OutboundEndpoint e : store.enabledEndpoints()) {
            if (e.subscribes(eventType)) {
                rows.add(new OutboundMessage(TimeOrderedIds.next(), e.id(), eventType, payload,
                        OutboundMessage.PENDING, 0, now.plus(schedule.first()), null, null, now, null));
            }
        }
        return rows;
    }
}
