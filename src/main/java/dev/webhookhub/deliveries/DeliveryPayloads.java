package dev.webhookhub.deliveries;

import dev.webhookhub.inbound.GitHubFormBody;
import dev.webhookhub.store.StoreException;
import dev.webhookhub.store.StoredPayload;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads the raw payload of an accepted delivery back from webhook_delivery_payloads. Only CI events (not pushes) take this
 * extra read, so the push path stays as cheap as before.
 */
public final class DeliveryPayloads {

    private final DataSource ds;

    public DeliveryPayloads(DataSource ds) {
        this.ds = ds;
    }

    /** The delivery's JSON (GitHub form deliveries are stored as sent: the JSON is their payload field). */
    public Optional<byte[]> json(String deliveryId) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT body, body_large, encoding FROM webhook_delivery_payloads WHERE delivery_id = ?")) {
            ps.setString(1, deliveryId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] inline = rs.getBytes(1);
                byte[] stored = inline != null ? inline : rs.getBytes(2);
                return Optional.ofNullable(StoredPayload.decode(stored, rs.getString(3)))
                        .map(DeliveryPayloads::unwrapForm);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read delivery payload", e);
        }
    }

    private static byte[] unwrapForm(byte[] payload) {
        if (payload.length == 0 || payload[0] == '{') {
            return payload;
        }
        byte[] json = GitHubFormBody.payloadField(payload);
        return json == null ? payload : json;
    }
}
