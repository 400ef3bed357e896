package dev.webhookhub.sync;

import dev.webhookhub.store.Jdbc;
import dev.webhookhub.store.StoreFlush;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Plain-JDBC access to sync_executions and the link table sync_links. */
final class SyncExecutionStore {

    private static final String COLUMNS = "id, config_id, job_id, trigger_type, status, dry_run, total, created, "
            + "updated, unchanged, errors, items, error, started_at, completed_at, duration_ms";

    /** What the link table knows about one source item. */
    record Link(String targetItemId, String lastHash) {
    }

    private final DataSource ds;
    private final StoreFlush flush;

    SyncExecutionStore(DataSource ds, StoreFlush flush) {
        this.ds = ds;
        this.flush = flush;
    }

    void start(SyncExecution e) {
        Jdbc.update(ds, "INSERT INTO sync_executions (id, config_id, job_id, trigger_type, status, dry_run, "
                + "started_at) VALUES (?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, e.id());
                    ps.setString(2, e.configId());
                    ps.setString(3, e.jobId());
                    ps.setString(4, e.trigger());
                    ps.setString(5, e.status());
                    ps.setBoolean(6, e.dryRun());
                    Jdbc.setInstant(ps, 7, e.startedAt());
                }, "cannot record the sync execution");
    }

    void finish(SyncExecution e) {
        Jdbc.update(ds, "UPDATE sync_executions SET status = ?, total = ?, created = ?, updated = ?, unchanged = ?, "
                + "errors = ?, items = ?, error = ?, completed_at = ?, duration_ms = ? WHERE id = ?", ps -> {
                    ps.setString(1, e.status());
                    ps.setInt(2, e.total());
                    ps.setInt(3, e.created());
                    ps.setInt(4, e.updated());
                    ps.setInt(5, e.unchanged());
                    ps.setInt(6, e.errors());
                    ps.setString(7, e.items());
                    String err = e.error();
                    ps.setString(8, err == null ? null : err.length() > 2000 ? err.substring(0, 2000) : err);
                    Jdbc.setInstant(ps, 9, e.completedAt());
                    ps.setObject(10, e.durationMs());
                    ps.setString(11, e.id());
                }, "cannot record the sync execution");
        flush.flush();
    }

    Optional<SyncExecution> get(String id) {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM sync_executions WHERE id = ?", ps -> ps.setString(1, id),
                SyncExecutionStore::read, "cannot read the sync execution").stream().findFirst();
    }

    /** Newest first. */
    List<SyncExecution> history(String configId, int limit) {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM sync_executions WHERE config_id = ? "
                + "ORDER BY started_at DESC, id DESC", ps -> {
                    ps.setString(1, configId);
                    ps.setMaxRows(limit);
                }, SyncExecutionStore::read, "cannot read the execution history");
    }

    List<String> finishedBefore(Instant before, int batch) {
        return Jdbc.query(ds, "SELECT id FROM sync_executions WHERE status <> ? AND started_at < ?", ps -> {
            ps.setString(1, SyncExecution.RUNNING);
            Jdbc.setInstant(ps, 2, before);
            ps.setMaxRows(batch);
        }, rs -> rs.getString(1), "cannot find old sync executions");
    }

    Optional<Link> link(String configId, String sourceItemId) {
        return Jdbc.query(ds, "SELECT target_item_id, last_hash FROM sync_links WHERE config_id = ? AND "
                + "source_item_id = ?", ps -> {
                    ps.setString(1, configId);
                    ps.setString(2, sourceItemId);
                }, rs -> new Link(rs.getString(1), rs.getString(2)), "cannot read the sync link").stream()
                .findFirst();
    }

    void saveLink(String configId, String sourceItemId, String targetItemId, String hash, boolean exists,
            Instant now) {
        if (exists) {
            Jdbc.update(ds, "UPDATE sync_links SET target_item_id = ?, last_hash = ?, updated_at = ? "
                    + "WHERE config_id = ? AND source_item_id = ?", ps -> {
                        ps.setString(1, targetItemId);
                        ps.setString(2, hash);
                        Jdbc.setInstant(ps, 3, now);
                        ps.setString(4, configId);
                        ps.setString(5, sourceItemId);
                    }, "cannot save the sync link");
        } else {
            Jdbc.update(ds, "INSERT INTO sync_links (config_id, source_item_id, target_item_id, last_hash, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?)", ps -> {
                        ps.setString(1, configId);
                        ps.setString(2, sourceItemId);
                        ps.setString(3, targetItemId);
                        ps.setString(4, hash);
                        Jdbc.setInstant(ps, 5, now);
                    }, "cannot save the sync link");
        }
    }

    void flush() {
        flush.flush();
    }

    private static SyncExecution read(ResultSet rs) throws SQLException {
        long d = rs.getLong("duration_ms");
        Long duration = rs.wasNull() ? null : d;
        return new SyncExecution(rs.getString("id"), rs.getString("config_id"), rs.getString("job_id"),
                rs.getString("trigger_type"), rs.getString("status"), rs.getBoolean("dry_run"), rs.getInt("total"),
                rs.getInt("created"), rs.getInt("updated"), rs.getInt("unchanged"), rs.getInt("errors"),
                rs.getString("items"), rs.getString("error"), Jdbc.getInstant(rs, "started_at"),
                Jdbc.getInstant(rs, "completed_at"), duration);
    }
}
