package dev.webhookhub.deliveries;

import dev.webhookhub.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Reads and clears the keys of deliveries already taken in; {@link DeliveryInbox} writes them. */
public final class IdempotencyKeys {

    private final DataSource ds;

    public IdempotencyKeys(DataSource ds) {
        this.ds = ds;
    }

    public boolean contains(String key) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT 1 FROM idempotency_keys WHERE processor_name = ? AND message_id = ?")) {
            ps.setString(1, DeliveryInbox.IDEMPOTENCY_PROCESSOR);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read idempotency key", e);
        }
    }

    public void clear() {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency_keys WHERE processor_name = ?")) {
            ps.setString(1, DeliveryInbox.IDEMPOTENCY_PROCESSOR);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot clear idempotency keys", e);
        }
    }
}
