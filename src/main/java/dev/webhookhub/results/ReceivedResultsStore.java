package dev.webhookhub.results;

import dev.webhookhub.store.Jdbc;
import dev.webhookhub.store.Page;
import dev.webhookhub.store.StoreException;
import dev.webhookhub.store.StoreFlush;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Plain-JDBC access to received_results. */
final class ReceivedResultsStore {

    private static final String COLUMNS = "id, received_at, message_id, event_type, pipeline_id, signature_verified, "
            + "headers, body";

    private final DataSource ds;
    private final StoreFlush flush;

    ReceivedResultsStore(DataSource ds, StoreFlush flush) {
        this.ds = ds;
        this.flush = flush;
    }

    /** Stores the request (durably, before it is answered); false when its message id was stored before. */
    boolean insert(ReceivedResult r) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO received_results (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.id());
            Jdbc.setInstant(ps, 2, r.receivedAt());
            ps.setString(3, r.messageId());
            ps.setString(4, r.eventType());
            ps.setString(5, r.pipelineId());
            ps.setBoolean(6, r.signatureVerified());
            ps.setString(7, r.headersJson());
            ps.setString(8, r.body());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) {
                return false;
            }
            throw new StoreException("cannot store a received result", e);
        }
        flush.flush();
        return true;
    }

    /** Newest first; {@code pipelineId} null for all. */
    Page<ReceivedResult> page(String pipelineId, int limit, int offset) {
        String where = pipelineId == null ? "" : " WHERE pipeline_id = ?";
        try (Connection c = ds.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM received_results" + where)) {
                if (pipelineId != null) {
                    ps.setString(1, pipelineId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<ReceivedResult> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM received_results" + where
                    + " ORDER BY received_at DESC, id DESC OFFSET " + offset + " ROWS FETCH FIRST " + limit
                    + " ROWS ONLY")) {
                if (pipelineId != null) {
                    ps.setString(1, pipelineId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(new ReceivedResult(rs.getString("id"), Jdbc.getInstant(rs, "received_at"),
                                rs.getString("message_id"), rs.getString("event_type"), rs.getString("pipeline_id"),
                                rs.getBoolean("signature_verified"), rs.getString("headers"), rs.getString("body")));
                    }
                }
            }
            return new Page<>(items, total, limit, offset);
        } catch (SQLException e) {
            throw new StoreException("cannot list received results", e);
        }
    }
}
