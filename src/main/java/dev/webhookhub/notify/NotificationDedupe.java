package dev.webhookhub.notify;

import dev.webhookhub.store.Jdbc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotent repository behind the notification routes' idempotent consumer: a key (event type, subject, status,
 * ...) seen within the window is a duplicate, so identical events about the same subject are folded into the first
 * message. The windows are rows of {@code notification_folds}, shared by every hub instance on the database: the
 * instance whose INSERT creates the row, or whose conditional UPDATE moves an expired window forward, sends; every
 * other (a duplicate key, or no row updated) folds. So with several instances one message goes out. A zero window
 * lets everything through; expired rows are deleted as the repository goes. When the database cannot be asked the
 * event is let through (a repeat rather than a lost notification).
 */
public final class NotificationDedupe extends ServiceSupport implements IdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationDedupe.class);

    private final DataSource ds;
    private final Duration window;
    private final Clock clock;
    private final AtomicLong folded = new AtomicLong();
    private final AtomicLong nextPurge = new AtomicLong();

    public NotificationDedupe(DataSource ds, Duration window, Clock clock) {
        this.ds = ds;
        this.window = window;
        this.clock = clock;
    }

    public Duration window() {
        return window;
    }

    /** How many events this instance folded into an earlier message. */
    public long folded() {
        return folded.get();
    }

    @Override
    public boolean add(String key) {
        if (window.isZero() || window.isNegative()) {
            return true;
        }
        long now = clock.millis();
        long until = now + window.toMillis();
        String id = hash(key);
        try (Connection c = ds.getConnection()) {
            purgeExpired(c, now);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE notification_folds SET expires_at = ? WHERE fold_key = ? AND expires_at <= ?")) {
                ps.setLong(1, until);
                ps.setString(2, id);
                ps.setLong(3, now);
                if (ps.executeUpdate() == 1) {
                    return true; // an expired window: this event opens the next one
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO notification_folds (fold_key, expires_at) VALUES (?, ?)")) {
                ps.setString(1, id);
                ps.setLong(2, until);
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (Jdbc.isUniqueViolation(e)) {
                    folded.incrementAndGet(); // an open window, opened here or by another instance
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            LOG.warn("notification folding unavailable ({}): the event is not folded", e.getMessage());
            return true;
        }
    }

    @Override
    public boolean contains(String key) {
        try {
            return !Jdbc.query(ds, "SELECT expires_at FROM notification_folds WHERE fold_key = ? AND expires_at > ?",
                    ps -> {
                        ps.setString(1, hash(key));
                        ps.setLong(2, clock.millis());
                    }, rs -> rs.getLong(1), "cannot read notification folds").isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The idempotent consumer removes the key of an event whose routing failed, so a retry is not folded. */
    @Override
    public boolean remove(String key) {
        try {
            return Jdbc.update(ds, "DELETE FROM notification_folds WHERE fold_key = ?", ps -> ps.setString(1, hash(key)),
                    "cannot remove a notification fold") > 0;
        } catch (RuntimeException e) {
            LOG.warn("cannot remove notification fold: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        Jdbc.update(ds, "DELETE FROM notification_folds", ps -> { }, "cannot clear notification folds");
    }

    /** At most once per window (and per minute), expired rows go. */
    private void purgeExpired(Connection c, long now) throws SQLException {
        long due = nextPurge.get();
        if (now < due || !nextPurge.compareAndSet(due, now + Math.max(60_000, window.toMillis()))) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM notification_folds WHERE expires_at <= ?")) {
            ps.setLong(1, now);
            ps.executeUpdate();
        }
    }

    private static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
