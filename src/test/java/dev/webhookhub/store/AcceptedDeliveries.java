package dev.webhookhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import javax.sql.DataSource;

/** Writes an accepted GitHub push delivery row directly, for store tests that need one to complete. */
final class AcceptedDeliveries {

    private AcceptedDeliveries() {
    }

    static void insert(DataSource ds, String id, String serviceId) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO webhook_deliveries (id, provider, service_id, delivery_id, event_type, payload_size, "
                        + "payload_truncated, status, response_code, created_at) VALUES (?, 'github', ?, ?, 'push', "
                        + "0, FALSE, 'accepted', 202, ?)")) {
            ps.setString(1, id);
            ps.setString(2, serviceId);
            ps.setString(3, "provider-" + id);
            Jdbc.setInstant(ps, 4, Instant.now());
            ps.executeUpdate();
        }
    }
}
