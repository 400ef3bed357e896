package dev.webhookhub.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.store.Jdbc;
import dev.webhookhub.store.StoreException;
import dev.webhookhub.store.StoreFlush;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The job queue's rows. Enqueues and claims lock the one {@code sync_control} row first ({@code SELECT ... FOR
 * UPDATE}, on H2 and PostgreSQL alike), so the caps (queued, running, one per config) hold across instances.
 */
final class SyncJobStore {

    private static final String COLUMNS = "id, job_type, config_id, trigger_type, status, dry_run, work_item_ids, "
            + "runs, execution_id, result, error, created_at, started_at, completed_at";
    private static final String WAITING = "('" + SyncJob.QUEUED + "', '" + SyncJob.INTERRUPTED + "')";

    private final DataSource ds;
    private final StoreFlush flush;
    private final ObjectMapper mapper;

    SyncJobStore(DataSource ds, StoreFlush flush, ObjectMapper mapper) {
        this.ds = ds;
        this.flush = flush;
        this.mapper = mapper;
    }

    /** Inserts the job unless {@code maxWaiting} jobs already wait; returns whether it was queued. */
    boolean enqueue(SyncJob job, int maxWaiting) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c);
                if (count(c, "status IN " + WAITING) >= maxWaiting) {
                    c.rollback();
                    return false;
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_jobs (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, job.id());
                    ps.setString(2, job.type());
                    ps.setString(3, job.configId());
                    ps.setString(4, job.trigger());
                    ps.setString(5, job.status());
                    ps.setBoolean(6, job.dryRun());
                    ps.setString(7, job.workItemIds() == null ? null : json(job.workItemIds()));
                    ps.setInt(8, 0);
                    ps.setString(9, null);
                    ps.setString(10, null);
                    ps.setString(11, null);
                    Jdbc.setInstant(ps, 12, job.createdAt());
                    Jdbc.setInstant(ps, 13, null);
                    Jdbc.setInstant(ps, 14, null);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot queue the sync job", e);
        }
        flush.flush();
        return true;
    }

    /**
     * Claims waiting jobs, oldest first, while fewer than {@code maxRunning} run in total and none of the same
     * config runs; marks them running and returns them.
     */
    List<SyncJob> claim(int maxRunning, Instant now, String owner, Instant staleBefore) {
        List<SyncJob> claimed = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c);
                interruptStale(c, staleBefore, now);
                int free = maxRunning - count(c, "status = '" + SyncJob.RUNNING + "'");
                if (free > 0) {
                    Set<String> busy = new HashSet<>();
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT DISTINCT config_id FROM sync_jobs WHERE status = ?")) {
                        ps.setString(1, SyncJob.RUNNING);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                busy.add(rs.getString(1));
                            }
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM sync_jobs WHERE "
                            + "status IN " + WAITING + " ORDER BY created_at, id")) {
                        ps.setMaxRows(1000);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next() && claimed.size() < free) {
                                SyncJob j = read(rs);
                                if (busy.add(j.configId())) {
                                    claimed.add(j);
                                }
                            }
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("UPDATE sync_jobs SET status = ?, started_at = ?, "
                            + "runs = runs + 1, owner = ?, heartbeat_at = ? WHERE id = ?")) {
                        for (SyncJob j : claimed) {
                            ps.setString(1, SyncJob.RUNNING);
                            Jdbc.setInstant(ps, 2, now);
                            ps.setString(3, owner);
                            Jdbc.setInstant(ps, 4, now);
                            ps.setString(5, j.id());
                            ps.addBatch();
                        }
                        if (!claimed.isEmpty()) {
                            ps.executeBatch();
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot claim sync jobs", e);
        }
        if (!claimed.isEmpty()) {
            flush.flush();
        }
        return claimed.stream().map(j -> new SyncJob(j.id(), j.type(), j.configId(), j.trigger(), SyncJob.RUNNING,
                j.dryRun(), j.workItemIds(), j.runs() + 1, null, null, null, j.createdAt(), now, null)).toList();
    }

    void finish(String id, String status, String executionId, String result, String error, Instant now) {
        Jdbc.update(ds, "UPDATE sync_jobs SET status = ?, execution_id = ?, result = ?, error = ?, completed_at = ? "
                + "WHERE id = ?", ps -> {
                    ps.setString(1, status);
                    ps.setString(2, executionId);
                    ps.setString(3, result);
                    ps.setString(4, error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error);
                    Jdbc.setInstant(ps, 5, now);
                    ps.setString(6, id);
                }, "cannot finish the sync job");
        flush.flush();
    }

    /**
     * Jobs whose instance stopped renewing their lease (it stopped or died while they ran) are marked interrupted,
     * and run again; one that had been interrupted before fails. Runs inside a claim, under the lock.
     */
    private static int interruptStale(Connection c, Instant staleBefore, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_jobs SET status = ?, error = ?, completed_at = ? "
                + "WHERE status = ? AND heartbeat_at < ? AND runs >= 2")) {
            ps.setString(1, SyncJob.FAILED);
            ps.setString(2, "interrupted twice: the instance running it stopped");
            Jdbc.setInstant(ps, 3, now);
            ps.setString(4, SyncJob.RUNNING);
            Jdbc.setInstant(ps, 5, staleBefore);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_jobs SET status = ?, owner = NULL "
                + "WHERE status = ? AND heartbeat_at < ?")) {
            ps.setString(1, SyncJob.INTERRUPTED);
            ps.setString(2, SyncJob.RUNNING);
            Jdbc.setInstant(ps, 3, staleBefore);
            return ps.executeUpdate();
        }
    }

    /** Renews the lease of this instance's running jobs. */
    void heartbeat(String owner, Instant now) {
        Jdbc.update(ds, "UPDATE sync_jobs SET heartbeat_at = ? WHERE status = ? AND owner = ?", ps -> {
            Jdbc.setInstant(ps, 1, now);
            ps.setString(2, SyncJob.RUNNING);
            ps.setString(3, owner);
        }, "cannot renew the sync jobs' lease");
    }

    /** At a stop: this instance's running jobs are interrupted now (they run again at once elsewhere or later). */
    int interruptOwned(String owner) {
        int n = Jdbc.update(ds, "UPDATE sync_jobs SET status = CASE WHEN runs >= 2 THEN '" + SyncJob.FAILED + "' ELSE '"
                + SyncJob.INTERRUPTED + "' END, owner = NULL WHERE status = ? AND owner = ?", ps -> {
                    ps.setString(1, SyncJob.RUNNING);
                    ps.setString(2, owner);
                }, "cannot interrupt the sync jobs");
        flush.flush();
        return n;
    }

    Optional<SyncJob> get(String id) {
        if (id == null || id.length() > 64) {
            return Optional.empty();
        }
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM sync_jobs WHERE id = ?", ps -> ps.setString(1, id),
                this::read, "cannot read the sync job").stream().findFirst();
    }

    /** [waiting, running, finished] counts. */
    long[] counts() {
        return Jdbc.query(ds, "SELECT SUM(CASE WHEN status IN " + WAITING + " THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN status = '" + SyncJob.RUNNING + "' THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN status IN ('" + SyncJob.COMPLETED + "', '" + SyncJob.FAILED + "') THEN 1 ELSE 0 END) "
                + "FROM sync_jobs", ps -> {
                }, rs -> new long[] { rs.getLong(1), rs.getLong(2), rs.getLong(3) }, "cannot count sync jobs").get(0);
    }

    List<SyncJob> recentFinished(int limit) {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM sync_jobs WHERE status IN ('" + SyncJob.COMPLETED + "', '"
                + SyncJob.FAILED + "') ORDER BY completed_at DESC, id DESC", ps -> ps.setMaxRows(limit), this::read,
                "cannot list sync jobs");
    }

    /** Deletes up to {@code batch} finished jobs completed before {@code before}; returns how many. */
    int deleteFinishedBefore(Instant before, int batch) {
        List<String> ids = Jdbc.query(ds, "SELECT id FROM sync_jobs WHERE status IN ('" + SyncJob.COMPLETED + "', '"
                + SyncJob.FAILED + "') AND completed_at < ?", ps -> {
                    Jdbc.setInstant(ps, 1, before);
                    ps.setMaxRows(batch);
                }, rs -> rs.getString(1), "cannot find old sync jobs");
        return deleteIds("sync_jobs", ids);
    }

    int deleteIds(String table, List<String> ids) {
        int n = 0;
        for (String id : ids) {
            n += Jdbc.update(ds, "DELETE FROM " + table + " WHERE id = ?", ps -> ps.setString(1, id),
                    "cannot delete from " + table);
        }
        if (n > 0) {
            flush.flush();
        }
        return n;
    }

    // ---- control row

    boolean schedulerRunning() {
        return Jdbc.query(ds, "SELECT scheduler_running FROM sync_control WHERE id = 1", ps -> {
        }, rs -> rs.getBoolean(1), "cannot read the scheduler state").stream().findFirst().orElse(true);
    }

    void schedulerRunning(boolean running) {
        Jdbc.update(ds, "UPDATE sync_control SET scheduler_running = ? WHERE id = 1", ps -> ps.setBoolean(1, running),
                "cannot save the scheduler state");
        flush.flush();
    }

    void retentionRan(Instant at, long deleted) {
        Jdbc.update(ds, "UPDATE sync_control SET retention_ran_at = ?, retention_deleted = retention_deleted + ? "
                + "WHERE id = 1", ps -> {
                    Jdbc.setInstant(ps, 1, at);
                    ps.setLong(2, deleted);
                }, "cannot record the retention run");
        flush.flush();
    }

    /** [retention_ran_at (Instant or null), retention_deleted (Long)]. */
    Object[] retention() {
        return Jdbc.query(ds, "SELECT retention_ran_at, retention_deleted FROM sync_control WHERE id = 1", ps -> {
        }, rs -> new Object[] { Jdbc.getInstant(rs, "retention_ran_at"), rs.getLong("retention_deleted") },
                "cannot read the retention state").get(0);
    }

    private static void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM sync_control WHERE id = 1 FOR UPDATE");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
        }
    }

    private static int count(Connection c, String where) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sync_jobs WHERE " + where);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private SyncJob read(ResultSet rs) throws SQLException {
        String ids = rs.getString("work_item_ids");
        List<String> items;
        try {
            items = ids == null ? null : mapper.readValue(ids, new TypeReference<List<String>>() {
            });
        } catch (JsonProcessingException e) {
            items = null;
        }
        return new SyncJob(rs.getString("id"), rs.getString("job_type"), rs.getString("config_id"),
                rs.getString("trigger_type"), rs.getString("status"), rs.getBoolean("dry_run"), items,
                rs.getInt("runs"), rs.getString("execution_id"), rs.getString("result"), rs.getString("error"),
                Jdbc.getInstant(rs, "created_at"), Jdbc.getInstant(rs, "started_at"),
                Jdbc.getInstant(rs, "completed_at"));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
