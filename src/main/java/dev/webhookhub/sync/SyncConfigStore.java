package dev.webhookhub.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.store.Jdbc;
import dev.webhookhub.store.StoreException;
import dev.webhookhub.store.StoreFlush;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Plain-JDBC access to sync_configs. */
public final class SyncConfigStore {

    private static final String COLUMNS = "id, name, source_type, source_settings, target_type, target_settings, "
            + "mapping, trigger_type, schedule_cron, is_active, last_scheduled_at, created_at, updated_at";

    private final DataSource ds;
    private final StoreFlush flush;
    private final ObjectMapper mapper;

    public SyncConfigStore(DataSource ds, StoreFlush flush, ObjectMapper mapper) {
        this.ds = ds;
        this.flush = flush;
        this.mapper = mapper;
    }

    public void insert(SyncConfig c) {
        Jdbc.update(ds, "INSERT INTO sync_configs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setString(1, c.id());
                    bind(ps, c, 2);
                    Jdbc.setInstant(ps, 11, c.lastScheduledAt());
                    Jdbc.setInstant(ps, 12, c.createdAt());
                    Jdbc.setInstant(ps, 13, c.updatedAt());
                }, "cannot save the sync config");
        flush.flush();
    }

    public boolean update(SyncConfig c) {
        int n = Jdbc.update(ds, "UPDATE sync_configs SET name = ?, source_type = ?, source_settings = ?, "
                + "target_type = ?, target_settings = ?, mapping = ?, trigger_type = ?, schedule_cron = ?, "
                + "is_active = ?, updated_at = ? WHERE id = ?", ps -> {
                    bind(ps, c, 1);
                    Jdbc.setInstant(ps, 10, c.updatedAt());
                    ps.setString(11, c.id());
                }, "cannot update the sync config");
        flush.flush();
        return n == 1;
    }

    public void markScheduled(String id, Instant at) {
        Jdbc.update(ds, "UPDATE sync_configs SET last_scheduled_at = ? WHERE id = ?", ps -> {
            Jdbc.setInstant(ps, 1, at);
            ps.setString(2, id);
        }, "cannot record the schedule");
        flush.flush();
    }

    public boolean delete(String id) {
        int n = Jdbc.update(ds, "DELETE FROM sync_configs WHERE id = ?", ps -> ps.setString(1, id),
                "cannot delete the sync config");
        flush.flush();
        return n == 1;
    }

    public Optional<SyncConfig> get(String id) {
        if (id == null || id.length() > 36) {
            return Optional.empty();
        }
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM sync_configs WHERE id = ?", ps -> ps.setString(1, id),
                this::read, "cannot read the sync config").stream().findFirst();
    }

    public List<SyncConfig> all() {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM sync_configs ORDER BY created_at, id", ps -> {
        }, this::read, "cannot list sync configs");
    }

    private void bind(PreparedStatement ps, SyncConfig c, int i) throws SQLException {
        ps.setString(i, c.name());
        ps.setString(i + 1, c.sourceType());
        ps.setString(i + 2, c.sourceSettings().toString());
        ps.setString(i + 3, c.targetType());
        ps.setString(i + 4, c.targetSettings().toString());
        ps.setString(i + 5, c.mapping() == null ? null : c.mapping().toString());
        ps.setString(i + 6, c.triggerType());
        ps.setString(i + 7, c.scheduleCron());
        ps.setBoolean(i + 8, c.active());
    }

    private SyncConfig read(ResultSet rs) throws SQLException {
        return new SyncConfig(rs.getString("id"), rs.getString("name"), rs.getString("source_type"),
                object(rs.getString("source_settings")), rs.getString("target_type"),
                object(rs.getString("target_settings")),
                rs.getString("mapping") == null ? null : object(rs.getString("mapping")),
                rs.getString("trigger_type"), rs.getString("schedule_cron"), rs.getBoolean("is_active"),
                Jdbc.getInstant(rs, "last_scheduled_at"), Jdbc.getInstant(rs, "created_at"),
                Jdbc.getInstant(rs, "updated_at"));
    }

    private ObjectNode object(String json) {
        try {
            JsonNode n = mapper.readTree(json);
            return n instanceof ObjectNode o ? o : mapper.createObjectNode();
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored sync config is not JSON", e);
        }
    }
}
