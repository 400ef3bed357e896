package dev.webhookhub.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.security.SecretCipher;
import dev.webhookhub.deliveries.DeliveryStatus;
import dev.webhookhub.store.Jdbc;
import dev.webhookhub.store.Page;
import dev.webhookhub.store.StoreException;
import dev.webhookhub.store.StoreFlush;
import dev.webhookhub.store.WebhookSecrets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The webhooks table: registrations, their encrypted secrets, and the trigger count. */
public final class RegisteredWebhookStore {

    /** The delivery provider name of registered webhooks in webhook_deliveries. */
    public static final String PROVIDER = "webhook";

    private static final String COLUMNS = "id, name, webhook_url, sync_config_id, connector_id, event_types, metadata, "
            + "is_active, rate_limit_per_minute, trigger_count, last_triggered_at, created_at, updated_at";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    /** What a registration or a rotation hands out, once. */
    public record Issued(RegisteredWebhook webhook, String secret) {
    }

    private final DataSource ds;
    private final SecretCipher cipher;
    private final StoreFlush flush;
    private final ObjectMapper mapper;

    public RegisteredWebhookStore(DataSource ds, SecretCipher cipher, StoreFlush flush, ObjectMapper mapper) {
        this.ds = ds;
        this.cipher = cipher;
        this.flush = flush;
        this.mapper = mapper;
    }

    public Issued register(RegisteredWebhook draft, String webhookUrl, String secret) {
        Instant now = Instant.now();
        String id = UUID.randomUUID().toString();
        Jdbc.update(ds, "INSERT INTO webhooks (id, name, webhook_url, sync_config_id, connector_id, event_types, "
                + "metadata, secret_enc, is_active, rate_limit_per_minute, trigger_count, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)", ps -> {
                    ps.setString(1, id);
                    ps.setString(2, draft.name());
                    ps.setString(3, webhookUrl);
                    ps.setString(4, draft.syncConfigId());
                    ps.setString(5, draft.connectorId());
                    ps.setString(6, json(draft.eventTypes()));
                    ps.setString(7, draft.metadataJson());
                    ps.setString(8, cipher.encrypt(secret));
                    ps.setBoolean(9, draft.active());
                    setInteger(ps, 10, draft.rateLimitPerMinute());
                    Jdbc.setInstant(ps, 11, now);
                    Jdbc.setInstant(ps, 12, now);
                }, "cannot register webhook");
        flush.flush();
        return new Issued(find(id).orElseThrow(), secret);
    }

    public Optional<RegisteredWebhook> find(String id) {
        return one("SELECT " + COLUMNS + " FROM webhooks WHERE id = ?", id);
    }

    public Optional<RegisteredWebhook> findByUrl(String webhookUrl) {
        return one("SELECT " + COLUMNS + " FROM webhooks WHERE webhook_url = ?", webhookUrl);
    }

    public Optional<WebhookSecrets> secrets(String id) {
        List<WebhookSecrets> found = Jdbc.query(ds, "SELECT secret_enc, previous_secret_enc, previous_valid_until "
                + "FROM webhooks WHERE id = ?", ps -> ps.setString(1, id), rs -> {
                    String prev = rs.getString("previous_secret_enc");
                    return new WebhookSecrets(cipher.decrypt(rs.getString("secret_enc")),
                            prev == null ? null : cipher.decrypt(prev), Jdbc.getInstant(rs, "previous_valid_until"));
                }, "cannot read webhook secret");
        return found.stream().findFirst();
    }

    public Page<RegisteredWebhook> list(int limit, int offset) {
        long total = Jdbc.query(ds, "SELECT COUNT(*) FROM webhooks", ps -> { }, rs -> rs.getLong(1),
                "cannot count webhooks").get(0);
        List<RegisteredWebhook> items = Jdbc.query(ds, "SELECT " + COLUMNS + " FROM webhooks "
                + "ORDER BY created_at DESC, id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", ps -> {
                    ps.setInt(1, offset);
                    ps.setInt(2, limit);
                }, this::read, "cannot list webhooks");
        return new Page<>(items, total, limit, offset);
    }

    public Optional<RegisteredWebhook> update(RegisteredWebhook w) {
        int n = Jdbc.update(ds, "UPDATE webhooks SET name = ?, sync_config_id = ?, connector_id = ?, event_types = ?, "
                + "metadata = ?, is_active = ?, rate_limit_per_minute = ?, updated_at = ? WHERE id = ?", ps -> {
                    ps.setString(1, w.name());
                    ps.setString(2, w.syncConfigId());
                    ps.setString(3, w.connectorId());
                    ps.setString(4, json(w.eventTypes()));
                    ps.setString(5, w.metadataJson());
                    ps.setBoolean(6, w.active());
                    setInteger(ps, 7, w.rateLimitPerMinute());
                    Jdbc.setInstant(ps, 8, Instant.now());
                    ps.setString(9, w.id());
                }, "cannot update webhook");
        if (n == 0) {
            return Optional.empty();
        }
        flush.flush();
        return find(w.id());
    }

    /** A new secret; the old one keeps verifying for {@code grace}. */
    public Optional<String> rotate(String id, String secret, Duration grace) {
        Optional<WebhookSecrets> current = secrets(id);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        Jdbc.update(ds, "UPDATE webhooks SET secret_enc = ?, previous_secret_enc = ?, previous_valid_until = ?, "
                + "updated_at = ? WHERE id = ?", ps -> {
                    ps.setString(1, cipher.encrypt(secret));
                    ps.setString(2, cipher.encrypt(current.get().current()));
                    Jdbc.setInstant(ps, 3, now.plus(grace));
                    Jdbc.setInstant(ps, 4, now);
                    ps.setString(5, id);
                }, "cannot rotate webhook secret");
        flush.flush();
        return Optional.of(secret);
    }

    public boolean delete(String id) {
        boolean deleted = Jdbc.update(ds, "DELETE FROM webhooks WHERE id = ?", ps -> ps.setString(1, id),
                "cannot delete webhook") > 0;
        flush.flush();
        return deleted;
    }

    /**
     * Marks an accepted delivery processed and counts it as a trigger of its webhook, in one transaction guarded by
     * the delivery's status: a delivery queued twice (recovery after a crash) counts once. Returns whether this call
     * processed it.
     */
    public boolean completeTrigger(String deliveryId, String webhookId) {
        Instant now = Instant.now();
        return Jdbc.inTransaction(ds, c -> {
            boolean processed = DeliveryStatus.markProcessed(c, deliveryId, now);
            if (processed) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE webhooks SET trigger_count = trigger_count + 1, "
                        + "last_triggered_at = ? WHERE id = ?")) {
                    Jdbc.setInstant(ps, 1, now);
                    ps.setString(2, webhookId);
                    ps.executeUpdate();
                }
            }
            return processed;
        }, "cannot complete webhook delivery " + deliveryId);
    }

    private Optional<RegisteredWebhook> one(String sql, String key) {
        return Jdbc.query(ds, sql, ps -> ps.setString(1, key), this::read, "cannot read webhook").stream().findFirst();
    }

    private RegisteredWebhook read(ResultSet rs) throws SQLException {
        int limit = rs.getInt("rate_limit_per_minute");
        Integer rateLimit = rs.wasNull() ? null : limit;
        return new RegisteredWebhook(rs.getString("id"), rs.getString("name"), rs.getString("webhook_url"),
                rs.getString("sync_config_id"), rs.getString("connector_id"), strings(rs.getString("event_types")),
                rs.getString("metadata"), rs.getBoolean("is_active"), rateLimit, rs.getLong("trigger_count"),
                Jdbc.getInstant(rs, "last_triggered_at"), Jdbc.getInstant(rs, "created_at"),
                Jdbc.getInstant(rs, "updated_at"));
    }

    private List<String> strings(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return mapper.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new StoreException("webhooks.event_types is not a JSON list of strings", e);
        }
    }

    private String json(List<String> values) {
        try {
            return mapper.writeValueAsString(values == null ? List.of() : values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, java.sql.Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }
}
