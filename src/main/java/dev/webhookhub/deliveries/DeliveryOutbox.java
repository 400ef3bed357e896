package dev.webhookhub.deliveries;

import dev.webhookhub.store.StoredText;
import dev.webhookhub.store.Jdbc;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The Kafka outbox of accepted deliveries (table {@code kafka_outbox}, scaled mode only). {@link #add} runs inside
 * the inbox's transaction, so a delivery answered 2xx is in the outbox or already published; the relay reads rows in
 * id order and deletes them once the broker has acknowledged them. Git and CI deliveries go to the git-events topic
 * keyed by service id; registered-webhook deliveries to the webhook-events topic keyed by their sync config id (the
 * webhook's id when it has none), so one service's (one sync config's) records stay in order on one partition.
 */
public final class DeliveryOutbox {

    /** One row waiting to be published. */
    public record Row(long id, String topic, String key, String deliveryId, String envelope) {
    }

    static final String WEBHOOK_PROVIDER = "webhook";
    private static final String INSERT = "INSERT INTO kafka_outbox (topic, record_key, delivery_id, envelope, "
            + "created_at) VALUES (?, ?, ?, ?, ?)";

    private final DataSource ds;
    private final ObjectMapper mapper;
    private final String gitTopic;
    private final String webhookTopic;

    public DeliveryOutbox(DataSource ds, ObjectMapper mapper, String gitTopic, String webhookTopic) {
        this.ds = ds;
        this.mapper = mapper;
        this.gitTopic = gitTopic;
        this.webhookTopic = webhookTopic;
    }

    /** Adds the accepted deliveries among {@code records} on {@code c} (the caller's transaction). */
    void add(Connection c, List<DeliveryRecord> records) throws SQLException {
        PreparedStatement ps = null;
        try {
            for (DeliveryRecord r : records) {
                if (!DeliveryStatus.ACCEPTED.equals(r.status()) || r.eventJson() == null) {
                    continue;
                }
                if (ps == null) {
                    ps = c.prepareStatement(INSERT);
                }
                bind(ps, r.provider(), r.serviceId(), r.id(), r.eventJson(), r.createdAt());
                ps.addBatch();
            }
            if (ps != null) {
                ps.executeBatch();
            }
        } finally {
            if (ps != null) {
                ps.close();
            }
        }
    }

    /**
     * Puts a delivery the recovery sweep found unprocessed back into the outbox, unless it is still waiting there.
     * Returns whether a row was added.
     */
    public boolean requeue(String envelope, String provider) {
        String deliveryId = envelopeField(envelope, "id");
        if (deliveryId == null) {
            return false;
        }
        return Jdbc.inTransaction(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM kafka_outbox WHERE delivery_id = ?")) {
                ps.setString(1, deliveryId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                bind(ps, provider, serviceIdOf(envelope), deliveryId, envelope, Instant.now());
                ps.executeUpdate();
            }
            return true;
        }, "cannot requeue delivery " + deliveryId);
    }

    /** The oldest rows, in the order they were written (the caller holds the transaction). */
    public List<Row> oldest(Connection c, int limit) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, topic, record_key, delivery_id, envelope "
                + "FROM kafka_outbox ORDER BY id FETCH FIRST " + limit + " ROWS ONLY")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
        }
        return rows;
    }

    /** Deletes published rows (the caller commits). */
    public void delete(Connection c, List<Row> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM kafka_outbox WHERE id = ?")) {
            for (Row r : rows) {
                ps.setLong(1, r.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void bind(PreparedStatement ps, String provider, String serviceId, String deliveryId, String envelope,
            Instant createdAt) throws SQLException {
        boolean webhook = WEBHOOK_PROVIDER.equals(provider);
        String key = serviceId;
        if (webhook) {
            String syncConfigId = envelopeData(envelope, "syncConfigId");
            if (syncConfigId != null) {
                key = syncConfigId;
            }
        }
        ps.setString(1, webhook ? webhookTopic : gitTopic);
        ps.setString(2, StoredText.fit(key, 255));
        ps.setString(3, deliveryId);
        ps.setString(4, envelope);
        Jdbc.setInstant(ps, 5, createdAt);
    }

    private String serviceIdOf(String envelope) {
        String id = envelopeData(envelope, "serviceId");
        return id != null ? id : envelopeData(envelope, "webhookId");
    }

    private String envelopeField(String envelope, String field) {
        JsonNode n = parse(envelope).get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private String envelopeData(String envelope, String field) {
        JsonNode n = parse(envelope).path("data").get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private JsonNode parse(String envelope) {
        try {
            return mapper.readTree(envelope);
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }
}
