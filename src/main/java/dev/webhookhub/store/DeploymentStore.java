package dev.webhookhub.store;

import dev.webhookhub.deliveries.DeliveryStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import javax.sql.DataSource;

/**
 * Deployments, and the step that finishes an accepted delivery: marking it processed and creating its deployment
 * happen in one transaction, guarded by the delivery's status, so a delivery queued twice is processed once.
 */
public final class DeploymentStore {

    private static final String COLUMNS = "id, service_id, delivery_id, provider, status, commit_sha, branch, "
            + "commit_message, author, repository_url, compare_url, created_at, updated_at";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeploymentStore.class);

    private final DataSource ds;

    public DeploymentStore(DataSource ds) {
        this.ds = ds;
    }

    /** One accepted delivery to finish, with the deployment it starts (or null). */
    public record Completion(String deliveryId, Deployment deployment) {
    }

    /**
     * Finishes many accepted deliveries in one transaction (one commit for the batch). Returns the ids this call
     * processed; a delivery no longer in status accepted is skipped. When the batch fails it is retried one delivery
     * at a time, and a delivery that fails on its own for a reason other than an unavailable store is marked failed.
     */
    public Set<String> completeDeliveries(List<Completion> batch) {
        try {
            return completeTogether(batch);
        } catch (SQLException e) {
            if (isTransient(e)) {
                throw new StoreException("cannot complete deliveries", e);
            }
        }
        Set<String> done = new HashSet<>();
        for (Completion c : batch) {
            try {
                done.addAll(completeTogether(List.of(c)));
            } catch (SQLException e) {
                if (isTransient(e)) {
                    throw new StoreException("cannot complete delivery " + c.deliveryId(), e);
                }
                String reason = isForeignKeyViolation(e) && c.deployment() != null
                        ? "service " + c.deployment().serviceId() + " was deleted before the delivery was processed"
                        : "cannot be processed: " + e.getMessage();
                LOG.warn("delivery {} is marked failed: {}", c.deliveryId(), reason);
                failDelivery(c.deliveryId(), reason);
            }
        }
        return done;
    }

    private Set<String> completeTogether(List<Completion> batch) throws SQLException {
        Instant now = Instant.now();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean[] made = DeliveryStatus.markProcessed(c,
                        batch.stream().map(Completion::deliveryId).toList(), now);
                Set<String> done = new HashSet<>();
                List<Deployment> created = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    if (made[i]) {
                        done.add(batch.get(i).deliveryId());
                        if (batch.get(i).deployment() != null) {
                            created.add(batch.get(i).deployment());
                        }
                    }
                }
                insertSuperseding(c, created, now);
                c.commit();
                return done;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** PostgreSQL says 23503; H2 says 23506 when the referenced row is missing. */
    private static boolean isForeignKeyViolation(SQLException e) {
        return Jdbc.hasSqlState(e, state -> state.equals("23503") || state.equals("23506"));
    }

    /** Connection loss, timeouts and serialization failures: worth retrying later, not a bad delivery. */
    private static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return e instanceof java.sql.SQLTransientException || e instanceof java.sql.SQLRecoverableException
                || state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("57"));
    }

    /**
     * Marks an accepted delivery processed and, when {@code deployment} is not null, creates it. Returns false (and
     * changes nothing) when the delivery was not in status accepted any more.
     */
    public boolean completeDelivery(String deliveryId, Deployment deployment) {
        return Jdbc.inTransaction(ds, c -> {
            boolean processed = DeliveryStatus.markProcessed(c, deliveryId, Instant.now());
            if (processed && deployment != null) {
                insertSuperseding(c, List.of(deployment), Instant.now());
            }
            return processed;
        }, "cannot complete delivery " + deliveryId);
    }

    /** Marks an accepted delivery failed after its processing gave up. */
    public void failDelivery(String deliveryId, String error) {
        DeliveryStatus.markFailed(ds, deliveryId, error, DeliveryStatus.ACCEPTED);
    }

    public Page<Deployment> listForService(String serviceId, int limit, int offset) {
        return listForService(serviceId, limit, offset, null);
    }

    /**
     * Newest first. With {@code before} (a {@link ListCursor} from the previous page) the page starts right after
     * that row, read from the list's index; {@code offset} then skips rows after the cursor.
     */
    public Page<Deployment> listForService(String serviceId, int limit, int offset, ListCursor before) {
        return ServicePages.newestFirst(ds, "deployments", COLUMNS, serviceId, limit, offset, before,
                DeploymentStore::read, Deployment::createdAt, Deployment::id, "cannot list deployments");
    }


    /**
     * Inserts new pending deployments; a newer push makes a service's older pending deployments moot. Of
     * {@code created}, only the newest per service is inserted pending and the others are inserted superseded, and
     * the service's pending deployments from before are superseded in the same transaction. A burst of pushes so
     * leaves one pending row per service, instead of rows the scheduler must read and rewrite. Batches committing
     * at the same moment cannot see each other's rows; the scheduler's own pass ({@link DeploymentRuns#supersede})
     * settles those.
     */
    private static void insertSuperseding(Connection c, List<Deployment> created, Instant now) throws SQLException {
        if (created.isEmpty()) {
            return;
        }
        Map<String, Deployment> newest = new HashMap<>();
        for (Deployment d : created) {
            newest.merge(d.serviceId(), d, (a, b) -> newer(a, b) ? a : b);
        }
        List<Deployment> pending = new ArrayList<>();
        List<Deployment> moot = new ArrayList<>();
        for (Deployment d : created) {
            (newest.get(d.serviceId()) == d ? pending : moot).add(d);
        }
        int earlier = DeploymentRuns.markSuperseded(c, DeploymentRuns.pendingBefore(c, newest), now).size();
        insert(c, pending, null);
        insert(c, moot, now);
        if (earlier + moot.size() > 0) {
            LOG.debug("{} pending deployments superseded by newer pushes (services {})", earlier + moot.size(),
                    newest.keySet());
        }
    }

    private static boolean newer(Deployment a, Deployment b) {
        return DeploymentRuns.newer(a.createdAt(), a.id(), b.createdAt(), b.id());
    }

    /** Inserts {@code deployments} as they are or, with {@code supersededAt}, as superseded at that time. */
    private static void insert(Connection c, List<Deployment> deployments, Instant supersededAt) throws SQLException {
        if (deployments.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO deployments (" + COLUMNS
                + ", error, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Deployment d : deployments) {
                ps.setString(1, d.id());
                ps.setString(2, d.serviceId());
                ps.setString(3, d.deliveryId());
                ps.setString(4, d.provider());
                ps.setString(5, supersededAt == null ? d.status() : DeploymentRun.SUPERSEDED);
                ps.setString(6, d.commitSha());
                ps.setString(7, d.branch());
                ps.setString(8, d.commitMessage());
                ps.setString(9, d.author());
                ps.setString(10, d.repositoryUrl());
                ps.setString(11, d.compareUrl());
                Jdbc.setInstant(ps, 12, d.createdAt());
                Jdbc.setInstant(ps, 13, supersededAt == null ? d.updatedAt() : supersededAt);
                ps.setString(14, supersededAt == null ? null : DeploymentRuns.SUPERSEDED_REASON);
                Jdbc.setInstant(ps, 15, supersededAt);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Deployment read(ResultSet rs) throws SQLException {
        return new Deployment(rs.getString("id"), rs.getString("service_id"), rs.getString("delivery_id"),
                rs.getString("provider"), rs.getString("status"), rs.getString("commit_sha"), rs.getString("branch"),
                rs.getString("commit_message"), rs.getString("author"), rs.getString("repository_url"),
                rs.getString("compare_url"), Jdbc.getInstant(rs, "created_at"), Jdbc.getInstant(rs, "updated_at"));
    }
}
