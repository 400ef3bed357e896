package dev.webhookhub.store;

import dev.webhookhub.security.SecretCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/** Per-service, per-provider webhook secrets, encrypted at rest. */
public final class WebhookSecretStore {

    /** What a webhook-url call hands out: the secret only when it was just created or rotated. */
    public record Issued(String secret, boolean shown) {
    }

    private final javax.sql.DataSource ds;
    private final SecretCipher cipher;
    private final StoreFlush flush;

    /** {@code flush} makes a new secret durable before it is shown: it is shown only once. */
    public WebhookSecretStore(javax.sql.DataSource ds, SecretCipher cipher, StoreFlush flush) {
        this.ds = ds;
        this.cipher = cipher;
        this.flush = flush;
    }

    public Optional<WebhookSecrets> find(String serviceId, String provider) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT secret_enc, previous_secret_enc, "
                        + "previous_valid_until FROM service_webhook_secrets WHERE service_id = ? AND provider = ?")) {
            ps.setString(1, serviceId);
            ps.setString(2, provider);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String prev = rs.getString("previous_secret_enc");
                return Optional.of(new WebhookSecrets(cipher.decrypt(rs.getString("secret_enc")),
                        prev == null ? null : cipher.decrypt(prev), Jdbc.getInstant(rs, "previous_valid_until")));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read webhook secret", e);
        }
    }

    /** Creates the provider's secret on first call; later calls do not reveal it. */
    public Issued issue(String serviceId, String provider, Supplier<String> generator) {
        if (find(serviceId, provider).isPresent()) {
            return new Issued(null, false);
        }
        String secret = generator.get();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO service_webhook_secrets "
                        + "(service_id, provider, secret_enc, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, serviceId);
            ps.setString(2, provider);
            ps.setString(3, cipher.encrypt(secret));
            Jdbc.setInstant(ps, 4, Instant.now());
            ps.executeUpdate();
            flush.flush();
            return new Issued(secret, true);
        } catch (SQLException e) {
            // a concurrent first call created it: that caller shows the secret, this one does not
            if (find(serviceId, provider).isPresent()) {
                return new Issued(null, false);
            }
            throw new StoreException("cannot store webhook secret", e);
        }
    }

    /** Issues a new secret; the old one keeps verifying for {@code grace}. */
    public Issued rotate(String serviceId, String provider, Supplier<String> generator, Duration grace) {
        Optional<WebhookSecrets> existing = find(serviceId, provider);
        if (existing.isEmpty()) {
            return issue(serviceId, provider, generator);
        }
        String secret = generator.get();
        Instant now = Instant.now();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE service_webhook_secrets SET secret_enc = ?, "
                        + "previous_secret_enc = ?, previous_valid_until = ?, rotated_at = ? "
                        + "WHERE service_id = ? AND provider = ?")) {
            ps.setString(1, cipher.encrypt(secret));
            ps.setString(2, cipher.encrypt(existing.get().current()));
            Jdbc.setInstant(ps, 3, now.plus(grace));
            Jdbc.setInstant(ps, 4, now);
            ps.setString(5, serviceId);
            ps.setString(6, provider);
            ps.executeUpdate();
            flush.flush();
            return new Issued(secret, true);
        } catch (SQLException e) {
            throw new StoreException("cannot rotate webhook secret", e);
        }
    }
}
