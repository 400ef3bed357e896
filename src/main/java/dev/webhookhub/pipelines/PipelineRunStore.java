package dev.webhookhub.pipelines;

import dev.webhookhub.store.Jdbc;
import dev.webhookhub.store.Page;
import dev.webhookhub.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * pipeline_runs. Every source upserts on (source, job, number) with plain, portable SQL: update the row if it is
 * there, else insert it, and when a concurrent writer inserted it first (unique violation) update again. A report of
 * an earlier phase never overwrites a later status; it only fills in fields the row does not have yet.
 */
public final class PipelineRunStore {

    private static final String COLUMNS = "id, source, job, number, status, raw_status, url, started_at, "
            + "duration_ms, triggered_by, branch, commit_sha, stages, created_at, updated_at";
    private static final String KEY = " WHERE source = ? AND job = ? AND number = ?";
    /** A report of the same or a later phase: it sets the status and whatever fields it carries. */
    private static final String ADVANCE = "UPDATE pipeline_runs SET status = ?, raw_status = COALESCE(?, raw_status), "
            + "url = COALESCE(?, url), started_at = COALESCE(?, started_at), "
            + "duration_ms = COALESCE(?, duration_ms), triggered_by = COALESCE(?, triggered_by), "
            + "branch = COALESCE(?, branch), commit_sha = COALESCE(?, commit_sha), stages = COALESCE(?, stages), "
            + "events_due = TRUE, updated_at = ?" + KEY + " AND " + PipelineStatus.RANK_SQL + " <= ?";
    /** A report of an earlier phase: only fields the row lacks. */
    private static final String FILL_IN = "UPDATE pipeline_runs SET raw_status = COALESCE(raw_status, ?), "
            + "url = COALESCE(url, ?), started_at = COALESCE(started_at, ?), "
            + "duration_ms = COALESCE(duration_ms, ?), triggered_by = COALESCE(triggered_by, ?), "
            + "branch = COALESCE(branch, ?), commit_sha = COALESCE(commit_sha, ?), stages = COALESCE(stages, ?), "
            + "updated_at = ?" + KEY;

    private final DataSource ds;
    private final String defaultTriggerUser;

    public PipelineRunStore(DataSource ds, String defaultTriggerUser) {
        this.ds = ds;
        this.defaultTriggerUser = defaultTriggerUser;
    }

    public UpsertOutcome upsert(RunReport r) {
        SQLException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try (Connection c = ds.getConnection()) {
                Optional<PipelineRun> existing = findByKey(c, r.source(), r.job(), r.number());
                if (existing.isPresent()) {
                    PipelineRun row = existing.get();
                    if (!changes(row, r)) {
                        return new UpsertOutcome(UpsertOutcome.Kind.UNCHANGED, row.id());
                    }
                    if (update(c, r) > 0) {
                        return new UpsertOutcome(UpsertOutcome.Kind.UPDATED, row.id());
                    }
                    // the row went away between the read and the update: insert it again
                }
                try {
                    return new UpsertOutcome(UpsertOutcome.Kind.NEW, insert(c, r));
                } catch (SQLException e) {
                    if (!Jdbc.isUniqueViolation(e)) {
                        throw e;
                    }
                    last = e; // another writer inserted the same run first: update it on the next pass
                }
            } catch (SQLException e) {
                throw new StoreException("cannot store pipeline run", e);
            }
        }
        throw new StoreException("cannot store pipeline run after repeated conflicts", last);
    }

    /** Whether the report would change the row (status moves forward, or it brings a field the row lacks). */
    static boolean changes(PipelineRun row, RunReport r) {
        boolean advances = PipelineStatus.rank(r.status()) >= PipelineStatus.rank(row.status());
        if (advances) {
            return !Objects.equals(row.status(), r.status())
                    || differs(row.rawStatus(), r.rawStatus()) || differs(row.url(), r.url())
                    || differs(row.startedAt(), r.startedAt()) || differs(row.durationMs(), r.durationMs())
                    || differs(row.triggeredBy(), r.triggeredBy()) || differs(row.branch(), r.branch())
                    || differs(row.commitSha(), r.commitSha()) || differs(row.stagesJson(), r.stagesJson());
        }
        return fills(row.rawStatus(), r.rawStatus()) || fills(row.url(), r.url())
                || fills(row.startedAt(), r.startedAt()) || fills(row.durationMs(), r.durationMs())
                || fills(row.triggeredBy(), r.triggeredBy()) || fills(row.branch(), r.branch())
                || fills(row.commitSha(), r.commitSha()) || fills(row.stagesJson(), r.stagesJson());
    }

    private static boolean differs(Object current, Object reported) {
        return reported != null && !reported.equals(current);
    }

    private static boolean fills(Object current, Object reported) {
        return current == null && reported != null;
    }

    private int update(Connection c, RunReport r) throws SQLException {
        Instant now = Instant.now();
        try (PreparedStatement ps = c.prepareStatement(ADVANCE)) {
            ps.setString(1, r.status());
            int i = bindFields(ps, 2, r);
            Jdbc.setInstant(ps, i++, now);
            i = bindKey(ps, i, r);
            ps.setInt(i, PipelineStatus.rank(r.status()));
            int n = ps.executeUpdate();
            if (n > 0) {
                return n;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(FILL_IN)) {
            int i = bindFields(ps, 1, r);
            Jdbc.setInstant(ps, i++, now);
            bindKey(ps, i, r);
            return ps.executeUpdate();
        }
    }

    private String insert(Connection c, RunReport r) throws SQLException {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO pipeline_runs (" + COLUMNS
                + ", events_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE)")) {
            ps.setString(1, id);
            ps.setString(2, r.source());
            ps.setString(3, r.job());
            ps.setString(4, r.number());
            ps.setString(5, r.status());
            ps.setString(6, r.rawStatus());
            ps.setString(7, r.url());
            setInstant(ps, 8, r.startedAt());
            setLong(ps, 9, r.durationMs());
            ps.setString(10, r.triggeredBy() != null ? r.triggeredBy() : defaultTriggerUser);
            ps.setString(11, r.branch());
            ps.setString(12, r.commitSha());
            ps.setString(13, r.stagesJson());
            Jdbc.setInstant(ps, 14, now);
            Jdbc.setInstant(ps, 15, now);
            ps.executeUpdate();
        }
        return id;
    }

    private static int bindFields(PreparedStatement ps, int i, RunReport r) throws SQLException {
        ps.setString(i++, r.rawStatus());
        ps.setString(i++, r.url());
        setInstant(ps, i++, r.startedAt());
        setLong(ps, i++, r.durationMs());
        ps.setString(i++, r.triggeredBy());
        ps.setString(i++, r.branch());
        ps.setString(i++, r.commitSha());
        ps.setString(i++, r.stagesJson());
        return i;
    }

    private static int bindKey(PreparedStatement ps, int i, RunReport r) throws SQLException {
        ps.setString(i++, r.source());
        ps.setString(i++, r.job());
        ps.setString(i++, r.number());
        return i;
    }

    private static void setInstant(PreparedStatement ps, int i, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            Jdbc.setInstant(ps, i, value);
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, value);
        }
    }

    /** A run whose status changed since its events were last raised, with the status they were raised for. */
    public record EventsDue(PipelineRun run, String eventsStatus) {
    }

    /** Runs whose events are due, oldest change first. */
    public List<EventsDue> eventsDue(int limit) {
        return Jdbc.query(ds, "SELECT " + COLUMNS + ", events_status FROM pipeline_runs WHERE events_due = TRUE "
                + "ORDER BY updated_at FETCH FIRST ? ROWS ONLY", ps -> ps.setInt(1, limit),
                rs -> new EventsDue(read(rs), rs.getString("events_status")), "cannot read runs with due events");
    }

    /**
     * Records that events were raised for {@code status}. The run stays due when it changed after it was read
     * ({@code updated_at} moved on), so the next pass looks at it again.
     */
    public void eventsRaised(PipelineRun run, String status) {
        Jdbc.update(ds, "UPDATE pipeline_runs SET events_status = ?, "
                + "events_due = CASE WHEN updated_at = ? THEN FALSE ELSE TRUE END WHERE id = ?", ps -> {
                    ps.setString(1, status);
                    Jdbc.setInstant(ps, 2, run.updatedAt());
                    ps.setString(3, run.id());
                }, "cannot record raised run events");
    }

    public Optional<PipelineRun> find(String id) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM pipeline_runs WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read pipeline run", e);
        }
    }

    public Optional<PipelineRun> findByKey(String source, String job, String number) {
        try (Connection c = ds.getConnection()) {
            return findByKey(c, source, job, number);
        } catch (SQLException e) {
            throw new StoreException("cannot read pipeline run", e);
        }
    }

    private static Optional<PipelineRun> findByKey(Connection c, String source, String job, String number)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM pipeline_runs" + KEY)) {
            ps.setString(1, source);
            ps.setString(2, job);
            ps.setString(3, number);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Runs matching the filter, newest first: by start time (creation time for runs not started), then last change. */
    public Page<PipelineRun> list(RunFilter f, int limit, int offset) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        condition(where, args, "source", f.source());
        condition(where, args, "job", f.job());
        condition(where, args, "status", f.status());
        condition(where, args, "branch", f.branch());
        if (f.since() != null) {
            where.append(" AND COALESCE(started_at, created_at) >= ?");
            args.add(f.since());
        }
        try (Connection c = ds.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM pipeline_runs" + where)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<PipelineRun> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM pipeline_runs" + where
                    + " ORDER BY COALESCE(started_at, created_at) DESC, updated_at DESC, id DESC"
                    + " OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                int i = bind(ps, args);
                ps.setInt(i++, offset);
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(read(rs));
                    }
                }
            }
            return new Page<>(items, total, limit, offset);
        } catch (SQLException e) {
            throw new StoreException("cannot list pipeline runs", e);
        }
    }

    private static void condition(StringBuilder where, List<Object> args, String column, String value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static int bind(PreparedStatement ps, List<Object> args) throws SQLException {
        int i = 1;
        for (Object a : args) {
            if (a instanceof Instant instant) {
                Jdbc.setInstant(ps, i++, instant);
            } else {
                ps.setString(i++, (String) a);
            }
        }
        return i;
    }

    private static PipelineRun read(ResultSet rs) throws SQLException {
        long duration = rs.getLong("duration_ms");
        Long durationMs = rs.wasNull() ? null : duration;
        return new PipelineRun(rs.getString("id"), rs.getString("source"), rs.getString("job"),
                rs.getString("number"), rs.getString("status"), rs.getString("raw_status"), rs.getString("url"),
                Jdbc.getInstant(rs, "started_at"), durationMs, rs.getString("triggered_by"), rs.getString("branch"),
                rs.getString("commit_sha"), rs.getString("stages"), Jdbc.getInstant(rs, "created_at"),
                Jdbc.getInstant(rs, "updated_at"));
    }
}
