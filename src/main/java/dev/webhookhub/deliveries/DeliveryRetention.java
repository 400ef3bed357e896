package dev.webhookhub.deliveries;

import dev.webhookhub.store.Jdbc;
import dev.webhookhub.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Deletes old deliveries, in batches of at most {@code batchSize} rows, each batch its own transaction: rejected,
 * ignored and duplicate deliveries after {@code refusedAge}, every other finished delivery (processed, failed) after
 * {@code age}, with their stored bodies (a body file once no row points into it); and idempotency keys after
 * {@code age}. An accepted delivery that is not yet processed is never deleted, however old. Deployments keep
 * their {@code delivery_id} (there is no foreign key): a deployment outlives the delivery that started it.
 */
public final class DeliveryRetention {

    /** What one run deleted. */
    public record Result(int deliveries, int idempotencyKeys, int bodyFiles) {
        public int total() {
            return deliveries + idempotencyKeys + bodyFiles;
        }
    }

    private static final List<String> REFUSED = List.of(DeliveryStatus.REJECTED, DeliveryStatus.IGNORED,
            DeliveryStatus.DUPLICATE);
    private static final List<String> FINISHED = List.of(DeliveryStatus.PROCESSED, DeliveryStatus.FAILED,
            DeliveryStatus.REJECTED, DeliveryStatus.IGNORED, DeliveryStatus.DUPLICATE);

    private final DataSource ds;
    /** Embedded mode's body files (null with PostgreSQL): a file goes once no delivery row points into it. */
    private final DeliveryBodies bodies;
    private final Duration age;
    private final Duration refusedAge;
    private final int batchSize;
    private final Clock clock;

    /** {@code age} or {@code refusedAge} zero or negative: that rule is off (kept forever). */
    public DeliveryRetention(DataSource ds, DeliveryBodies bodies, Duration age, Duration refusedAge, int batchSize,
            Clock clock) {
        this.ds = ds;
        this.bodies = bodies;
        this.age = age;
        this.refusedAge = refusedAge;
        this.batchSize = Math.max(1, Math.min(batchSize, 1000));
        this.clock = clock;
    }

    public static DeliveryRetention ofDays(DataSource ds, DeliveryBodies bodies, int days, int refusedDays,
            int batchSize) {
        return new DeliveryRetention(ds, bodies, Duration.ofDays(days), Duration.ofDays(refusedDays), batchSize,
                Clock.systemUTC());
    }

    public Result purge() {
        Instant now = clock.instant();
        int deliveries = 0;
        if (isOn(refusedAge)) {
            for (String status : REFUSED) {
                deliveries += purgeDeliveries(status, now.minus(refusedAge));
            }
        }
        int keys = 0;
        if (isOn(age)) {
            for (String status : FINISHED) {
                deliveries += purgeDeliveries(status, now.minus(age));
            }
            keys = purgeKeys(now.minus(age));
        }
        return new Result(deliveries, keys, deleteUnusedBodyFiles());
    }

    /**
     * Deletes the body files no delivery row points into any more. The file being written is read first: every row
     * pointing below it is committed, so the counts read next are complete for those files.
     */
    private int deleteUnusedBodyFiles() {
        if (bodies == null) {
            return 0;
        }
        long below = bodies.currentFile();
        try (Connection c = ds.getConnection()) {
            int deleted = bodies.deleteUnused(below, BodyFileCounts.inUse(c));
            BodyFileCounts.forgetUnused(c, below);
            return deleted;
        } catch (SQLException e) {
            throw new StoreException("cannot list the delivery body files in use", e);
        } catch (java.io.IOException e) {
            throw new StoreException("cannot delete unused delivery body files", e);
        }
    }

    private static boolean isOn(Duration d) {
        return !d.isZero() && !d.isNegative();
    }

    private int purgeDeliveries(String status, Instant before) {
        int deleted = 0;
        while (true) {
            List<String> ids = Jdbc.query(ds, "SELECT id FROM webhook_deliveries WHERE status = ? AND created_at < ? "
                    + "ORDER BY created_at FETCH FIRST " + batchSize + " ROWS ONLY", ps -> {
                        ps.setString(1, status);
                        Jdbc.setInstant(ps, 2, before);
                    }, rs -> rs.getString(1), "cannot list old deliveries");
            if (ids.isEmpty()) {
                return deleted;
            }
            deleted += deleteDeliveries(ids, status);
            if (ids.size() < batchSize) {
                return deleted;
            }
        }
    }

    /** One transaction; the status is checked again, so a delivery whose status changed meanwhile stays. */
    private int deleteDeliveries(List<String> ids, String status) {
        String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<String> gone = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM webhook_deliveries WHERE status = ? "
                        + "AND id IN (" + in + ") FOR UPDATE")) {
                    ps.setString(1, status);
                    bind(ps, 2, ids);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            gone.add(rs.getString(1));
                        }
                    }
                }
                if (gone.isEmpty()) {
                    c.commit();
                    return 0;
                }
                String goneIn = String.join(", ", Collections.nCopies(gone.size(), "?"));
                Map<Long, Long> leaving = new HashMap<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT body_file, COUNT(*) FROM webhook_deliveries "
                        + "WHERE body_file IS NOT NULL AND id IN (" + goneIn + ") GROUP BY body_file")) {
                    bind(ps, 1, gone);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            leaving.put(rs.getLong(1), -rs.getLong(2));
                        }
                    }
                }
                BodyFileCounts.add(c, leaving);
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM webhook_delivery_payloads WHERE delivery_id IN (" + goneIn + ")")) {
                    bind(ps, 1, gone);
                    ps.executeUpdate();
                }
                int n;
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM webhook_deliveries WHERE id IN (" + goneIn + ")")) {
                    bind(ps, 1, gone);
                    n = ps.executeUpdate();
                }
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot delete old deliveries", e);
        }
    }

    private int purgeKeys(Instant before) {
        int deleted = 0;
        while (true) {
            record Key(String processor, String id) {
            }
            List<Key> keys = Jdbc.query(ds, "SELECT processor_name, message_id FROM idempotency_keys "
                    + "WHERE created_at < ? ORDER BY created_at FETCH FIRST " + batchSize + " ROWS ONLY",
                    ps -> Jdbc.setInstant(ps, 1, before), rs -> new Key(rs.getString(1), rs.getString(2)),
                    "cannot list old idempotency keys");
            if (keys.isEmpty()) {
                return deleted;
            }
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM idempotency_keys WHERE processor_name = ? AND message_id = ?")) {
                c.setAutoCommit(false);
                for (Key k : keys) {
                    ps.setString(1, k.processor());
                    ps.setString(2, k.id());
                    ps.addBatch();
                }
                for (int n : ps.executeBatch()) {
                    deleted += Math.max(n, 0);
                }
                c.commit();
            } catch (SQLException e) {
                throw new StoreException("cannot delete old idempotency keys", e);
            }
            if (keys.size() < batchSize) {
                return deleted;
            }
        }
    }

    private static void bind(PreparedStatement ps, int first, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setString(first + i, values.get(i));
        }
    }
}
