package dev.webhookhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Superseding on a real H2 store: per service, every pending deployment but the newest (by creation time, then id)
 * becomes superseded, when the worker creates deployments and in the scheduler's pass; deployments in other states
 * and other services' deployments do not count.
 */
class DeploymentRunsSupersedeTest {

    private HikariDataSource ds;

    /** Services a and b, on a fresh store. */
    private String a;
    private String b;
    private final Instant t = Instant.parse("2026-12-01T05:00:00Z");

    @BeforeEach
    void open() {
        ds = Database.open("jdbc:h2:mem:supersede-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 4);
        ServiceStore services = new ServiceStore(ds, () -> { });
        a = services.create("a", "https://example.test/a.git", "main", "{}").id();
        b = services.create("b", "https://example.test/b.git", "main", "{}").id();
    }

    @AfterEach
    void close() {
        if (ds != null) {
            ds.close();
        }
    }

    @Test
    void keepsOnlyTheNewestPendingDeploymentOfEachService() throws Exception {
        // rows as batches committing at the same moment leave them: each saw none of the others
        insertPending(deployment("a-old", a, t, "a-old"));
        insertPending(deployment("a-tie-1", a, t.plusSeconds(5), "a-tie-1"));
        insertPending(deployment("a-tie-2", a, t.plusSeconds(5), "a-tie-2")); // same time, larger id: the newest
        insertPending(deployment("b-only", b, t, "b-only"));
        insertPending(deployment("a-run", a, t.plusSeconds(60), "a-run"));
        execute("UPDATE deployments SET status = 'running' WHERE id = 'a-run'"); // newer, but not pending

        DeploymentRuns runs = new DeploymentRuns(ds, () -> { });
        assertThat(runs.supersede()).extracting(DeploymentRun::id).containsExactlyInAnyOrder("a-old", "a-tie-1");

        assertThat(status("a-old")).isEqualTo("superseded superseded by a newer deployment of the service");
        assertThat(status("a-tie-1")).isEqualTo("superseded superseded by a newer deployment of the service");
        assertThat(status("a-tie-2")).isEqualTo("pending null");
        assertThat(status("b-only")).isEqualTo("pending null");
        assertThat(status("a-run")).isEqualTo("running null");
        assertThat(runs.supersede()).isEmpty();
    }

    /**
     * The worker supersedes as it creates deployments: of a batch only the newest per service stays pending, and the
     * service's pending deployments from earlier batches are superseded in the same transaction; deployments in
     * other states, other services' and a newer pending one (a concurrent batch's) are left for what they are.
     */
    @Test
    void creatingADeploymentSupersedesTheOlderPendingOnesOfItsService() throws Exception {
        DeploymentStore store = new DeploymentStore(ds);
        store.completeDeliveries(List.of(completion(deployment("a-old", a, t, "a-old")),
                completion(deployment("b-only", b, t, "b-only")),
                completion(deployment("a-older", a, t.minusSeconds(30), "a-older"))));
        assertThat(status("a-old")).isEqualTo("pending null");
        assertThat(status("a-older")).isEqualTo("superseded superseded by a newer deployment of the service");
        insertPending(deployment("a-later", a, t.plusSeconds(60), "a-later"));
        insertPending(deployment("a-claimed", a, t.minusSeconds(60), "a-claimed"));
        execute("UPDATE deployments SET status = 'building' WHERE id = 'a-claimed'");

        Set<String> processed = store.completeDeliveries(List.of(
                completion(deployment("a-tie-1", a, t.plusSeconds(5), "a-tie-1")),
                completion(deployment("a-tie-2", a, t.plusSeconds(5), "a-tie-2")))); // same time, larger id: newest

        assertThat(processed).containsExactlyInAnyOrder("a-tie-1", "a-tie-2");
        assertThat(status("a-old")).isEqualTo("superseded superseded by a newer deployment of the service");
        assertThat(status("a-tie-1")).isEqualTo("superseded superseded by a newer deployment of the service");
        assertThat(finished("a-tie-1")).isTrue();
        assertThat(status("a-tie-2")).isEqualTo("pending null");
        assertThat(finished("a-tie-2")).isFalse();
        assertThat(status("a-later")).isEqualTo("pending null");
        assertThat(status("a-claimed")).isEqualTo("building null");
        assertThat(status("b-only")).isEqualTo("pending null");
        assertThat(new DeploymentRuns(ds, () -> { }).supersede()).extracting(DeploymentRun::id)
                .containsExactly("a-tie-2");
    }

    private DeploymentStore.Completion completion(Deployment d) throws Exception {
        AcceptedDeliveries.insert(ds, d.deliveryId(), d.serviceId());
        return new DeploymentStore.Completion(d.deliveryId(), d);
    }

    /** A pending row written directly, as another transaction left it. */
    private void insertPending(Deployment d) throws Exception {
        AcceptedDeliveries.insert(ds, d.deliveryId(), d.serviceId());
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO deployments (id, service_id, delivery_id, provider, status, commit_sha, branch, "
                        + "created_at, updated_at) VALUES (?, ?, ?, 'github', 'pending', ?, 'main', ?, ?)")) {
            ps.setString(1, d.id());
            ps.setString(2, d.serviceId());
            ps.setString(3, d.deliveryId());
            ps.setString(4, d.commitSha());
            Jdbc.setInstant(ps, 5, d.createdAt());
            Jdbc.setInstant(ps, 6, d.createdAt());
            ps.executeUpdate();
        }
    }

    private boolean finished(String id) throws Exception {
        return !columns(id, "finished_at").equals("null");
    }

    private static Deployment deployment(String id, String serviceId, Instant createdAt, String deliveryId) {
        return new Deployment(id, serviceId, deliveryId, "github", "pending", "a".repeat(40), "main", "Fix",
                "Octo Cat", "https://example.test/r", null, createdAt, createdAt);
    }

    private void execute(String sql) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }

    private String status(String id) throws Exception {
        return columns(id, "status, error");
    }

    /** The deployment's {@code columns}, as text separated by spaces. */
    private String columns(String id, String columns) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + columns + " FROM deployments WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.append(i > 1 ? " " : "").append(rs.getString(i));
                }
                return row.toString();
            }
        }
    }
}
