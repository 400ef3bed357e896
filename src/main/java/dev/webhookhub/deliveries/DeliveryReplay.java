package dev.webhookhub.deliveries;

import dev.webhookhub.api.ApiError;
import dev.webhookhub.store.Jdbc;
import dev.webhookhub.store.StoreFlush;
import dev.webhookhub.store.TimeOrderedIds;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;

/**
 * Runs a stored, genuine delivery through processing again: a new accepted row (same sender, event and raw body,
 * {@code replay_of} the original), committed, then queued like any recovered delivery. Only deliveries that were
 * taken in and have finished (processed or failed) can be replayed.
 */
public final class DeliveryReplay {

    /** The new delivery: its id and the id it repeats. */
    public record Replayed(String id, String replayOf, String provider, String ownerId) {
    }

    private final DataSource ds;
    private final StoreFlush flush;
    private final ProducerTemplate producer;

    public DeliveryReplay(DataSource ds, StoreFlush flush, ProducerTemplate producer) {
        this.ds = ds;
        this.flush = flush;
        this.producer = producer;
    }

    /** {@code ownerId}: the service or registered webhook the delivery must belong to. */
    public Replayed replay(String ownerId, String deliveryId) {
        String newId = TimeOrderedIds.next();
        String[] provider = new String[1];
        String envelope = Jdbc.inTransaction(ds, c -> {
            String original;
            Long bodyFile;
            // locked: retention cannot delete the original (and perhaps its body file) under the copy
            try (PreparedStatement ps = c.prepareStatement("SELECT provider, status, signature_valid, event, "
                    + "body_file FROM webhook_deliveries WHERE id = ? AND service_id = ? FOR UPDATE")) {
                ps.setString(1, deliveryId);
                ps.setString(2, ownerId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiError.notFound("delivery");
                    }
                    provider[0] = rs.getString("provider");
                    String status = rs.getString("status");
                    original = rs.getString("event");
                    bodyFile = rs.getObject("body_file", Long.class);
                    if (!Boolean.TRUE.equals(rs.getObject("signature_valid")) || original == null
                            || !(DeliveryStatus.PROCESSED.equals(status) || DeliveryStatus.FAILED.equals(status))) {
                        throw new ApiError(409, "not_replayable", "only a genuine delivery that was taken in and "
                                + "has finished (processed or failed) can be replayed; this one is " + status);
                    }
                }
            }
            String replayed = withId(original, newId, deliveryId);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (id, provider, "
                    + "service_id, delivery_id, event_type, payload_size, payload_truncated, headers, "
                    + "signature_valid, status, response_code, processing_time_ms, event, error, created_at, "
                    + "replay_of, body_file, body_offset, body_length, body_encoding) SELECT ?, provider, service_id, "
                    + "delivery_id, event_type, payload_size, payload_truncated, headers, signature_valid, ?, 202, 0, "
                    + "?, NULL, ?, id, body_file, body_offset, body_length, body_encoding "
                    + "FROM webhook_deliveries WHERE id = ?")) {
                ps.setString(1, newId);
                ps.setString(2, DeliveryStatus.ACCEPTED);
                ps.setString(3, replayed);
                Jdbc.setInstant(ps, 4, Instant.now());
                ps.setString(5, deliveryId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_delivery_payloads "
                    + "(delivery_id, body, body_large, encoding) SELECT ?, body, body_large, encoding "
                    + "FROM webhook_delivery_payloads WHERE delivery_id = ?")) {
                ps.setString(1, newId);
                ps.setString(2, deliveryId);
                ps.executeUpdate();
            }
            if (bodyFile != null) {
                BodyFileCounts.add(c, Map.of(bodyFile, 1L));
            }
            return replayed;
        }, "cannot replay delivery " + deliveryId);
        flush.flush();
        // committed as accepted: if this hand-off fails, recovery queues it
        producer.sendBody("direct:requeue-deliveries",
                List.of(Map.of("id", newId, "provider", provider[0], "event", envelope)));
        return new Replayed(newId, deliveryId, provider[0], ownerId);
    }

    private static String withId(String stored, String newId, String originalId) {
        try {
            return DeliveryEvent.fromJson(stored).replayed(newId, originalId, Instant.now()).toJson();
        } catch (IllegalArgumentException e) {
            throw new ApiError(409, "not_replayable", "the stored event of this delivery cannot be read");
        }
    }
}
