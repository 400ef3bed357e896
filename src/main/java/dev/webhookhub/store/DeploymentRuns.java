package dev.webhookhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The deployment flow's store: claiming a pending deployment (one per service at a time, decided by a row update on
 * the service, so it holds across hub instances), committing each transition with its time stamps, and the build
 * logs. Each transition is guarded by the status it leaves, so a repeated step changes nothing.
 */
public final class DeploymentRuns {

    static final String COLUMNS = "id, service_id, delivery_id, provider, status, commit_sha, branch, commit_message, "
            + "author, repository_url, compare_url, image, previous_image, error, claimed_by, build_started_at, "
            + "build_finished_at, deploy_started_at, deploy_finished_at, rollback_started_at, rollback_finished_at, "
            + "finished_at, created_at, updated_at";
    private static final Set<String> SETTABLE = Set.of("image", "previous_image", "error", "commit_sha",
            "build_finished_at", "deploy_started_at", "deploy_finished_at", "rollback_started_at",
            "rollback_finished_at", "finished_at");

    private final DataSource ds;
    private final StoreFlush flush;

    public DeploymentRuns(DataSource ds, StoreFlush flush) {
        this.ds = ds;
        this.flush = flush;
    }

    /** What a transition does to the service besides moving the deployment. */
    public record ServiceChange(String status, boolean release, String currentImage) {
        public static ServiceChange status(String status) {
            return new ServiceChange(status, false, null);
        }

        public static ServiceChange finish(String status, String currentImage) {
            return new ServiceChange(status, true, currentImage);
        }
    }

    public Optional<DeploymentRun> find(String id) {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM deployments WHERE id = ?", ps -> ps.setString(1, id),
                DeploymentRuns::read, "cannot read deployment").stream().findFirst();
    }

    /** Newest first; with {@code before} (a {@link ListCursor} of the previous page) right after that row. */
    public Page<DeploymentRun> listForService(String serviceId, int limit, int offset, ListCursor before) {
        long total = Jdbc.query(ds, "SELECT COUNT(*) FROM deployments WHERE service_id = ?",
                ps -> ps.setString(1, serviceId), rs -> rs.getLong(1), "cannot count deployments").get(0);
        List<DeploymentRun> items = Jdbc.query(ds, "SELECT " + COLUMNS + " FROM deployments WHERE service_id = ?"
                + (before == null ? "" : ListCursor.AFTER)
                + " ORDER BY service_id, created_at DESC, id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", ps -> {
                    ps.setString(1, serviceId);
                    int i = before == null ? 2 : before.bind(ps, 2);
                    ps.setInt(i, offset);
                    ps.setInt(i + 1, limit);
                }, DeploymentRuns::read, "cannot list deployments");
        DeploymentRun last = items.isEmpty() ? null : items.get(items.size() - 1);
        return new Page<>(items, total, limit, offset, last == null ? null
                : ListCursor.next(items.size(), limit, last.createdAt(), last.id()));
    }

    /** A deployment asked for through the API (manual deploy, redeploy, rollback): pending, with its own id. */
    public DeploymentRun createPending(String serviceId, String provider, String commitSha, String branch,
            String message, String repositoryUrl, String image) {
        Instant now = Instant.now();
        String id = TimeOrderedIds.next();
        Jdbc.update(ds, "INSERT INTO deployments (id, service_id, delivery_id, provider, status, commit_sha, branch, "
                + "commit_message, repository_url, image, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, id);
                    ps.setString(2, serviceId);
                    ps.setString(3, id);
                    ps.setString(4, provider);
                    ps.setString(5, DeploymentRun.PENDING);
                    ps.setString(6, StoredText.fit(commitSha, 64));
                    ps.setString(7, StoredText.fit(branch, 255));
                    ps.setString(8, message);
                    ps.setString(9, StoredText.fit(repositoryUrl, 1000));
                    ps.setString(10, image);
                    Jdbc.setInstant(ps, 11, now);
                    Jdbc.setInstant(ps, 12, now);
                }, "cannot create deployment");
        flush.flush();
        return find(id).orElseThrow();
    }

    /**
     * Marks every pending deployment that has a newer pending one for the same service superseded; returns them.
     * The pending rows are read through the status index and the newest per service is picked here: a correlated
     * "newer pending row of the service" sub-query cannot use an index for its (created_at, id) order and so scanned
     * every deployment of the service for each pending one, a cost that grew with the table (half the hub's CPU in a
     * load test with deploys off, where deployments stay pending).
     */
    public List<DeploymentRun> supersede() {
        List<DeploymentRun> pending = Jdbc.query(ds, "SELECT " + COLUMNS + " FROM deployments WHERE status = 'pending'",
                ps -> { }, DeploymentRuns::read, "cannot find superseded deployments");
        Map<String, DeploymentRun> newest = new LinkedHashMap<>();
        for (DeploymentRun d : pending) {
            newest.merge(d.serviceId(), d, (a, b) -> newer(a, b) ? a : b);
        }
        List<DeploymentRun> found = pending.stream().filter(d -> newest.get(d.serviceId()) != d).toList();
        if (found.isEmpty()) {
            return List.of();
        }
        Instant now = Instant.now();
        // one transaction for the round: under load with deploys off every push supersedes the one before it
        return Jdbc.inTransaction(ds, c -> {
            Set<String> done = markSuperseded(c, found.stream().map(DeploymentRun::id).toList(), now);
            return found.stream().filter(d -> done.contains(d.id())).toList();
        }, "cannot supersede deployments");
    }

    static final String SUPERSEDED_REASON = "superseded by a newer deployment of the service";

    /**
     * Marks the deployments {@code ids} superseded where they are still pending, in the transaction of {@code c};
     * returns those it changed. The rows are updated in id order, so two transactions superseding overlapping rows
     * lock them in the same order (no deadlock).
     */
    static Set<String> markSuperseded(Connection c, List<String> ids, Instant now) throws SQLException {
        List<String> sorted = ids.stream().sorted().toList();
        Set<String> done = new HashSet<>();
        if (sorted.isEmpty()) {
            return done;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE deployments SET status = 'superseded', error = ?, "
                + "finished_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'")) {
            for (String id : sorted) {
                ps.setString(1, SUPERSEDED_REASON);
                Jdbc.setInstant(ps, 2, now);
                Jdbc.setInstant(ps, 3, now);
                ps.setString(4, id);
                ps.addBatch();
            }
            int[] updated = ps.executeBatch();
            for (int i = 0; i < sorted.size(); i++) {
                if (updated[i] == 1) {
                    done.add(sorted.get(i));
                }
            }
        }
        return done;
    }

    /**
     * The ids of the pending deployments older (by creation time, then id) than the deployment {@code newest} holds
     * for their service; other services' are left out. Read through the status index, in the transaction of
     * {@code c}.
     */
    static List<String> pendingBefore(Connection c, Map<String, Deployment> newest) throws SQLException {
        List<String> older = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, service_id, created_at FROM deployments WHERE status = 'pending'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Deployment theirs = newest.get(rs.getString(2));
                if (theirs == null) {
                    continue;
                }
                String id = rs.getString(1);
                if (newer(theirs.createdAt(), theirs.id(), Jdbc.getInstant(rs, "created_at"), id)) {
                    older.add(id);
                }
            }
        }
        return older;
    }

    /** Whether {@code a} was created after {@code b} (ids break ties, as the list order does). */
    private static boolean newer(DeploymentRun a, DeploymentRun b) {
        return newer(a.createdAt(), a.id(), b.createdAt(), b.id());
    }

    /** Whether a deployment created at {@code at} with {@code id} is newer than one at {@code than}, {@code thanId}. */
    static boolean newer(Instant at, String id, Instant than, String thanId) {
        int c = at.compareTo(than);
        return c != 0 ? c > 0 : id.compareTo(thanId) > 0;
    }

    /** Pending deployments, oldest first. */
    public List<DeploymentRun> pending(int limit) {
        return Jdbc.query(ds, "SELECT " + COLUMNS + " FROM deployments WHERE status = 'pending' "
                + "ORDER BY created_at, id FETCH FIRST ? ROWS ONLY", ps -> ps.setInt(1, limit),
                DeploymentRuns::read, "cannot list pending deployments");
    }

    /** How many deployments this instance is working on (claimed and not finished). */
    public int activeClaims(String instance) {
        return Jdbc.query(ds, "SELECT COUNT(*) FROM services s JOIN deployments d ON d.id = s.active_deployment_id "
                + "WHERE d.claimed_by = ?", ps -> ps.setString(1, instance), rs -> rs.getInt(1),
                "cannot count claims").get(0);
    }

    /** Deployments this instance claimed and has not finished (to resume after a restart). */
    public List<DeploymentRun> claimedBy(String instance) {
        return Jdbc.query(ds, "SELECT " + COLUMNS.replace(", ", ", d.").replaceFirst("^", "d.")
                + " FROM services s JOIN deployments d ON d.id = s.active_deployment_id WHERE d.claimed_by = ? "
                + "ORDER BY d.created_at", ps -> ps.setString(1, instance), DeploymentRuns::read,
                "cannot list claimed deployments");
    }

    /** Whether the service has a deployment under way (claimed and not finished). */
    public boolean busy(String serviceId) {
        return !Jdbc.query(ds, "SELECT 1 FROM services WHERE id = ? AND active_deployment_id IS NOT NULL",
                ps -> ps.setString(1, serviceId), rs -> 1, "cannot read service").isEmpty();
    }

    /** The service's claim and its current image. */
    public Optional<String> currentImage(String serviceId) {
        List<String> images = Jdbc.query(ds, "SELECT current_image FROM services WHERE id = ?",
                ps -> ps.setString(1, serviceId), rs -> rs.getString(1), "cannot read service");
        return images.isEmpty() ? Optional.empty() : Optional.ofNullable(images.get(0));
    }

    /** The image that ran healthy before the service's current one (for a manual rollback), if any. */
    public Optional<String> lastHealthyImageBefore(String serviceId, String current) {
        return Jdbc.query(ds, "SELECT image FROM deployments WHERE service_id = ? AND status = 'running' "
                + "AND image IS NOT NULL AND image <> ? ORDER BY finished_at DESC, id DESC FETCH FIRST 1 ROWS ONLY",
                ps -> {
                    ps.setString(1, serviceId);
                    ps.setString(2, current == null ? "" : current);
                }, rs -> rs.getString(1), "cannot read deployments").stream().findFirst();
    }

    /**
     * Claims a pending deployment: sets the service's claim (only when free) and moves the deployment to building,
     * in one transaction. Returns false (changing nothing) when the service is busy or the deployment not pending.
     */
    public boolean claim(DeploymentRun d, String instance) {
        return claim(d, instance, Duration.ofMinutes(1));
    }

    /** {@link #claim(DeploymentRun, String)} with a lease the instance must renew ({@link #renewLeases}). */
    public boolean claim(DeploymentRun d, String instance, Duration lease) {
        Instant now = Instant.now();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                int svc;
                try (PreparedStatement ps = c.prepareStatement("UPDATE services SET active_deployment_id = ?, "
                        + "status = ?, updated_at = ? WHERE id = ? AND active_deployment_id IS NULL")) {
                    ps.setString(1, d.id());
                    ps.setString(2, DeploymentRun.BUILDING);
                    Jdbc.setInstant(ps, 3, now);
                    ps.setString(4, d.serviceId());
                    svc = ps.executeUpdate();
                }
                int dep = 0;
                if (svc == 1) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE deployments SET status = ?, "
                            + "claimed_by = ?, error = NULL, build_started_at = ?, updated_at = ?, "
                            + "claim_lease_until = ? WHERE id = ? AND status = 'pending'")) {
                        ps.setString(1, DeploymentRun.BUILDING);
                        ps.setString(2, instance);
                        Jdbc.setInstant(ps, 3, now);
                        Jdbc.setInstant(ps, 4, now);
                        Jdbc.setInstant(ps, 5, now.plus(lease));
                        ps.setString(6, d.id());
                        dep = ps.executeUpdate();
                    }
                }
                if (dep == 1) {
                    c.commit();
                    flush.flush();
                    return true;
                }
                c.rollback();
                return false;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot claim deployment " + d.id(), e);
        }
    }

    /** Extends the lease of every unfinished deployment this instance holds (its heartbeat). */
    public int renewLeases(String instance, Duration lease) {
        Instant now = Instant.now();
        return Jdbc.update(ds, "UPDATE deployments SET claim_lease_until = ? WHERE claimed_by = ? AND id IN "
                + "(SELECT active_deployment_id FROM services WHERE active_deployment_id IS NOT NULL)", ps -> {
                    Jdbc.setInstant(ps, 1, now.plus(lease));
                    ps.setString(2, instance);
                }, "cannot renew deployment claims");
    }

    /**
     * Renews one deployment's lease if this instance still holds it: false when another instance has taken it over
     * (one guarded update, so a restart and a take-over cannot both work the deployment).
     */
    public boolean renewLease(String deploymentId, String instance, Duration lease) {
        Instant now = Instant.now();
        int n = Jdbc.update(ds, "UPDATE deployments SET claim_lease_until = ? WHERE id = ? AND claimed_by = ?", ps -> {
            Jdbc.setInstant(ps, 1, now.plus(lease));
            ps.setString(2, deploymentId);
            ps.setString(3, instance);
        }, "cannot renew the claim of deployment " + deploymentId);
        if (n == 1) {
            flush.flush();
        }
        return n == 1;
    }

    /**
     * Takes over unfinished deployments whose holder (another instance) stopped renewing its lease: at most
     * {@code max}, oldest first, each by one guarded update (so of two instances trying, one wins). Returns the
     * deployments taken over, with the instance that held them in {@link DeploymentRun#claimedBy()}.
     */
    public List<DeploymentRun> takeOverExpired(String instance, Duration lease, int max) {
        if (max <= 0) {
            return List.of();
        }
        Instant now = Instant.now();
        Instant stale = now.minus(lease);
        String expired = "(d.claim_lease_until < ? OR d.claim_lease_until IS NULL AND d.updated_at < ?)";
        List<DeploymentRun> candidates = Jdbc.query(ds, "SELECT " + COLUMNS.replace(", ", ", d.").replaceFirst("^",
                "d.") + " FROM services s JOIN deployments d ON d.id = s.active_deployment_id "
                + "WHERE d.claimed_by <> ? AND " + expired + " ORDER BY d.created_at FETCH FIRST ? ROWS ONLY", ps -> {
                    ps.setString(1, instance);
                    Jdbc.setInstant(ps, 2, now);
                    Jdbc.setInstant(ps, 3, stale);
                    ps.setInt(4, max);
                }, DeploymentRuns::read, "cannot list expired deployment claims");
        List<DeploymentRun> taken = new ArrayList<>();
        for (DeploymentRun d : candidates) {
            int n = Jdbc.update(ds, "UPDATE deployments SET claimed_by = ?, claim_lease_until = ? WHERE id = ? "
                    + "AND claimed_by = ? AND " + expired.replace("d.", ""), ps -> {
                        ps.setString(1, instance);
                        Jdbc.setInstant(ps, 2, now.plus(lease));
                        ps.setString(3, d.id());
                        ps.setString(4, d.claimedBy());
                        Jdbc.setInstant(ps, 5, now);
                        Jdbc.setInstant(ps, 6, stale);
                    }, "cannot take over deployment " + d.id());
            if (n == 1) {
                taken.add(d);
            }
        }
        if (!taken.isEmpty()) {
            flush.flush();
        }
        return taken;
    }

    /**
     * Moves a deployment from one of {@code from} to {@code to}, setting the given columns (a null value leaves
     * {@code previous_image} as it is), and changes the service; one transaction. Returns false when the deployment
     * was not in one of {@code from}.
     */
    public boolean transition(String id, Set<String> from, String to, Map<String, Object> set, ServiceChange service) {
        Instant now = Instant.now();
        Map<String, Object> cols = new LinkedHashMap<>(set);
        StringBuilder sql = new StringBuilder("UPDATE deployments SET status = ?, updated_at = ?");
        for (String col : cols.keySet()) {
            if (!SETTABLE.contains(col)) {
                throw new IllegalArgumentException(col);
            }
            sql.append(", ").append(col).append(col.equals("previous_image") ? " = COALESCE(previous_image, ?)" : " = ?");
        }
        sql.append(" WHERE id = ? AND status IN (").append("?, ".repeat(from.size() - 1)).append("?)");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                int n;
                try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                    int i = 1;
                    ps.setString(i++, to);
                    Jdbc.setInstant(ps, i++, now);
                    for (Object v : cols.values()) {
                        if (v instanceof Instant t) {
                            Jdbc.setInstant(ps, i++, t);
                        } else {
                            ps.setString(i++, v == null ? null : StoredText.fit(v.toString(), 2000));
                        }
                    }
                    ps.setString(i++, id);
                    for (String f : from) {
                        ps.setString(i++, f);
                    }
                    n = ps.executeUpdate();
                }
                if (n == 1 && service != null) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE services SET status = ?, updated_at = ?, "
                            + "current_image = COALESCE(?, current_image), active_deployment_id = "
                            + (service.release() ? "NULL" : "active_deployment_id")
                            + " WHERE id = (SELECT service_id FROM deployments "
                            + "WHERE id = ?) AND active_deployment_id = ?")) {
                        ps.setString(1, service.status());
                        Jdbc.setInstant(ps, 2, now);
                        ps.setString(3, service.currentImage());
                        ps.setString(4, id);
                        ps.setString(5, id);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                flush.flush();
                return n == 1;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot move deployment " + id + " to " + to, e);
        }
    }

    /** The stored build log ("" when there is none). */
    public String log(String deploymentId) {
        return Jdbc.query(ds, "SELECT content FROM deployment_logs WHERE deployment_id = ?",
                ps -> ps.setString(1, deploymentId), rs -> rs.getString(1), "cannot read deployment log")
                .stream().findFirst().map(s -> s == null ? "" : s).orElse("");
    }

    /** Replaces the stored build log. */
    public void saveLog(String deploymentId, String content) {
        Instant now = Instant.now();
        int n = Jdbc.update(ds, "UPDATE deployment_logs SET content = ?, updated_at = ? WHERE deployment_id = ?", ps -> {
            ps.setString(1, content);
            Jdbc.setInstant(ps, 2, now);
            ps.setString(3, deploymentId);
        }, "cannot save deployment log");
        if (n == 0) {
            try {
                Jdbc.update(ds, "INSERT INTO deployment_logs (deployment_id, content, updated_at) VALUES (?, ?, ?)",
                        ps -> {
                            ps.setString(1, deploymentId);
                            ps.setString(2, content);
                            Jdbc.setInstant(ps, 3, now);
                        }, "cannot save deployment log");
            } catch (StoreException e) {
                if (e.getCause() instanceof SQLException s && Jdbc.isUniqueViolation(s)) {
                    saveLog(deploymentId, content);
                } else {
                    throw e;
                }
            }
        }
    }

    static DeploymentRun read(ResultSet rs) throws SQLException {
        return new DeploymentRun(rs.getString("id"), rs.getString("service_id"), rs.getString("delivery_id"),
                rs.getString("provider"), rs.getString("status"), rs.getString("commit_sha"), rs.getString("branch"),
                rs.getString("commit_message"), rs.getString("author"), rs.getString("repository_url"),
                rs.getString("compare_url"), rs.getString("image"), rs.getString("previous_image"),
                rs.getString("error"), rs.getString("claimed_by"), Jdbc.getInstant(rs, "build_started_at"),
                Jdbc.getInstant(rs, "build_finished_at"), Jdbc.getInstant(rs, "deploy_started_at"),
                Jdbc.getInstant(rs, "deploy_finished_at"), Jdbc.getInstant(rs, "rollback_started_at"),
                Jdbc.getInstant(rs, "rollback_finished_at"), Jdbc.getInstant(rs, "finished_at"),
                Jdbc.getInstant(rs, "created_at"), Jdbc.getInstant(rs, "updated_at"));
    }
}
