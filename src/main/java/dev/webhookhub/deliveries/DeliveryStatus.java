package dev.webhookhub.deliveries;

import dev.webhookhub.store.Jdbc;
import dev.webhookhub.store.StoredText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** Values of webhook_deliveries.status, and the workers' transitions out of accepted (processed, failed). */
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

    /**
     * The same transition for a batch, in the caller's transaction (one JDBC batch); element i says whether
     * {@code deliveryIds.get(i)} was made processed by this call.
     */
    public static boolean[] markProcessed(Connection c, List<String> deliveryIds, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET status = ?, processed_at = ? "
                + "WHERE id = ? AND status = ?")) {
            for (String id : deliveryIds) {
                ps.setString(1, PROCESSED);
                Jdbc.setInstant(ps, 2, at);
                ps.setString(3, id);
                ps.setString(4, ACCEPTED);
                ps.addBatch();
            }
            int[] updated = ps.executeBatch();
            boolean[] made = new boolean[updated.length];
            for (int i = 0; i < updated.length; i++) {
                made[i] = updated[i] == 1;
            }
            return made;
        }
    }

    /**
     * A delivery whose processing gave up becomes failed, with its (shortened) reason; only from status {@code from}
     * (accepted; processed when the failure is found after the transition, as a sync job that cannot be queued).
     */
    public static void markFailed(DataSource ds, String deliveryId, String error, String from) {
        Jdbc.update(ds, "UPDATE webhook_deliveries SET status = ?, error = ?, processed_at = ? WHERE id = ? AND status = ?",
                ps -> {
                    ps.setString(1, FAILED);
                    ps.setString(2, StoredText.fit(error, DeliveryRecord.ERROR_CHARS));
                    Jdbc.setInstant(ps, 3, Instant.now());
                    ps.setString(4, deliveryId);
                    ps.setString(5, from);
                }, "cannot mark delivery " + deliveryId + " failed");
    }
}
