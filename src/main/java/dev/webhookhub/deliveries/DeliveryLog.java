package dev.webhookhub.deliveries;

import dev.webhookhub.store.ServicePages;
import dev.webhookhub.store.Jdbc;
import dev.webhookhub.store.ListCursor;
import dev.webhookhub.store.Page;
import dev.webhookhub.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Read side of webhook_deliveries for operators. */
public final class DeliveryLog {

    /** A delivery as operators see it (payload omitted). */
    public record Entry(String id, String provider, String serviceId, String deliveryId, String eventType,
            long payloadSize, boolean payloadTruncated, String headersJson, Boolean signatureValid, String status,
            int responseCode, Integer processingTimeMs, String error, Instant createdAt, Instant processedAt) {
    }

    private static final String COLUMNS = "id, provider, service_id, delivery_id, event_type, payload_size, "
            + "payload_truncated, headers, signature_valid, status, response_code, processing_time_ms, error, "
            + "created_at, processed_at";

    private final DataSource ds;
    private final DeliveryPayloads payloads;

    public DeliveryLog(DataSource ds, DeliveryPayloads payloads) {
        this.ds = ds;
        this.payloads = payloads;
    }

    public Page<Entry> listForService(String serviceId, int limit, int offset) {
        return listForService(serviceId, limit, offset, null);
    }

    /**
     * Newest first. With {@code before} (a {@link ListCursor} from the previous page) the page starts right after
     * that row, read from the list's index; {@code offset} then skips rows after the cursor.
     */
    public Page<Entry> listForService(String serviceId, int limit, int offset, ListCursor before) {
        return ServicePages.newestFirst(ds, "webhook_deliveries", COLUMNS, serviceId, limit, offset, before,
                DeliveryLog::read, Entry::createdAt, Entry::id, "cannot list deliveries");
    }


    /** One delivery of a service. */
    public Optional<Entry> find(String serviceId, String id) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM webhook_deliveries "
                        + "WHERE service_id = ? AND id = ?")) {
            ps.setString(1, serviceId);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read delivery", e);
        }
    }

    /** The body as received (decompressed), when it was kept. */
    public Optional<byte[]> payload(String id) {
        return payloads.body(id);
    }

    private static Entry read(ResultSet rs) throws SQLException {
        int ms = rs.getInt("processing_time_ms");
        Integer processingMs = rs.wasNull() ? null : ms;
        return new Entry(rs.getString("id"), rs.getString("provider"), rs.getString("service_id"),
                rs.getString("delivery_id"), rs.getString("event_type"), rs.getLong("payload_size"),
                rs.getBoolean("payload_truncated"), rs.getString("headers"),
                (Boolean) rs.getObject("signature_valid"), rs.getString("status"), rs.getInt("response_code"),
                processingMs, rs.getString("error"), Jdbc.getInstant(rs, "created_at"),
                Jdbc.getInstant(rs, "processed_at"));
    }
}
