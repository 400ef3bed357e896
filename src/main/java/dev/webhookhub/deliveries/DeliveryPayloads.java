package dev.webhookhub.deliveries;

import dev.webhookhub.inbound.GitHubFormBody;
import dev.webhookhub.store.StoreException;
import dev.webhookhub.store.StoredPayload;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads the raw body of a delivery back, from wherever the inbox put it: a row of webhook_delivery_payloads, or (in
 * embedded mode) the {@link DeliveryBodies} file its delivery row points into. Only CI events (not pushes) take
 * this extra read on their way through the workers, so the push path stays as cheap as before. Bound as
 * {@code deliveryPayloads}.
 */
public final class DeliveryPayloads {

    private static final String SELECT = "SELECT p.body, p.body_large, p.encoding, d.body_file, d.body_offset, "
            + "d.body_length, d.body_encoding FROM webhook_deliveries d "
            + "LEFT JOIN webhook_delivery_payloads p ON p.delivery_id = d.id WHERE d.id = ?";

    private final DataSource ds;
    /** Null with PostgreSQL, whose rows never point into body files. */
    private final DeliveryBodies files;

    public DeliveryPayloads(DataSource ds, DeliveryBodies files) {
        this.ds = ds;
        this.files = files;
    }

    /** The body as received (decompressed), when it was kept. */
    public Optional<byte[]> body(String deliveryId) {
        DeliveryBodies.Ref ref;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, deliveryId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] inline = rs.getBytes(1);
                byte[] stored = inline != null ? inline : rs.getBytes(2);
                if (stored != null) {
                    return Optional.of(StoredPayload.decode(stored, rs.getString(3)));
                }
                long file = rs.getLong(4);
                if (rs.wasNull() || files == null) {
                    return Optional.empty();
                }
                ref = new DeliveryBodies.Ref(file, rs.getLong(5), rs.getInt(6), rs.getString(7));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read delivery payload", e);
        }
        try {
            return files.read(ref).map(stored -> StoredPayload.decode(stored, ref.encoding()));
        } catch (IOException e) {
            throw new StoreException("cannot read delivery payload", e);
        }
    }

    /** The delivery's JSON (GitHub form deliveries are stored as sent: the JSON is their payload field). */
    public Optional<byte[]> json(String deliveryId) {
        return body(deliveryId).map(DeliveryPayloads::unwrapForm);
    }

    private static byte[] unwrapForm(byte[] payload) {
        if (payload.length == 0 || payload[0] == '{') {
            return payload;
        }
        byte[] json = GitHubFormBody.payloadField(payload);
        return json == null ? payload : json;
    }
}
