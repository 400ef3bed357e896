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
import java.util.List;
import javax.sql.DataSource;

/**
 * Deletes old deliveries, in batches of at most {@code batchSize} rows, each batch its own transaction: rejected,
 * ignored and duplicate deliveries after {@code refusedAge}, every other finished delivery (processed, failed) after
 * {@code age}, with their stored bodies; and idempotency keys after {@code age}. An accepted delivery that is not yet
 * processed is never deleted, however old. Deployments keep their {@code delivery_id} (there is no foreign key): a
 * deployment outlives the delivery that started it.
 */
public final class DeliveryRetention {

    /** What one run deleted. */
    public record Result(int deliveries, int idempotencyKeys) {
        public int total() {
            return deliveries + idempotencyKeys;
        }
    }

    private static final List<String> REFUSED = List.of(DeliveryStatus.REJECTED, DeliveryStatus.IGNORED,
            DeliveryStatus.DUPLICATE);
    private static final List<String> FINISHED = List.of(DeliveryStatus.PROCESSED, DeliveryStatus.FAILED,
            DeliveryStatus.REJECTED, DeliveryStatus.IGNORED, DeliveryStatus.DUPLICATE);

    private final DataSource ds;
    private final Duration age;
    private final Duration refusedAge;
    private final int batchSize;
    private final Clock clock;

    /** {@code age} or {@code refusedAge} zero or negative: that rule is off (kept forever). */
    public DeliveryRetention(DataSource ds, Duration age, Duration refusedAge, int batchSize, Clock clock) {
        this.ds = ds;
        this.age = age;
        this.refusedAge = refusedAge;
        this.batchSize = Math.max(1, Math.min(batchSize, 1000));
        this.clock = clock;
    }

    public static DeliveryRetention ofDays(DataSource ds, int days, int refusedDays, int batchSize) {
        return new DeliveryRetention(ds, Duration.ofDays(days), Duration.ofDays(refusedDays), batchSize,
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
        return new Result(deliveries, keys);
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
