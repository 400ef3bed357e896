package dev.webhookhub.deliveries;

import dev.webhookhub.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** Values of webhook_deliveries.status. */
public final class DeliveryStatus {
    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
    public static final String IGNORED = "ignored";
    public static final String REJECTED = "rejected";
    public static final String PROCESSED = "processed";
    public static final String FAILED = "failed";

    private DeliveryStatus() {
    }

    /**
     * The workers' transition, in the caller's transaction: an accepted delivery becomes processed. Returns whether
     * this call made it (0 when it was processed already, e.g. queued twice by recovery).
     */
    public static boolean markProcessed(Connection c, String deliveryId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET status = ?, processed_at = ? "
                + "WHERE id = ? AND status = ?")) {
            ps.setString(1, PROCESSED);
            Jdbc.setInstant(ps, 2, at);
            ps.setString(3, deliveryId);
            ps.setString(4, ACCEPTED);
            return ps.executeUpdate() == 1;
        }
    }
}
