package dev.webhookhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Superseding on a real H2 store: per service, every pending deployment but the newest (by creation time, then id)
 * becomes superseded; deployments in other states and other services' deployments do not count.
 */
class DeploymentRunsSupersedeTest {

    private HikariDataSource ds;

    @AfterEach
    void close() {
        if (ds != null) {
            ds.close();
        }
    }

    @Test
    void keepsOnlyTheNewestPendingDeploymentOfEachService() throws Exception {
        ds = Database.open("jdbc:h2:mem:supersede-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 4);
        ServiceStore services = new ServiceStore(ds, () -> { });
        String a = services.create("a", "https://example.test/a.git", "main", "{}").id();
        String b = services.create("b", "https://example.test/b.git", "main", "{}").id();
        Instant t = Instant.parse("2026-12-01T05:00:00Z");
        List<Deployment> batch = new ArrayList<>();
        batch.add(deployment("a-old", a, t, "a-old"));
        batch.add(deployment("a-tie-1", a, t.plusSeconds(5), "a-tie-1"));
        batch.add(deployment("a-tie-2", a, t.plusSeconds(5), "a-tie-2")); // same time, larger id: the newest of a
        batch.add(deployment("b-only", b, t, "b-only"));
        List<DeploymentStore.Completion> completions = new ArrayList<>();
        for (Deployment d : batch) {
            accepted(d.deliveryId(), d.serviceId());
            completions.add(new DeploymentStore.Completion(d.deliveryId(), d));
        }
        accepted("a-run", a);
        completions.add(new DeploymentStore.Completion("a-run", deployment("a-run", a, t.plusSeconds(60), "a-run")));
        new DeploymentStore(ds).completeDeliveries(completions);
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

    private static Deployment deployment(String id, String serviceId, Instant createdAt, String deliveryId) {
        return new Deployment(id, serviceId, deliveryId, "github", "pending", "a".repeat(40), "main", "Fix",
                "Octo Cat", "https://example.test/r", null, createdAt, createdAt);
    }

    private void accepted(String id, String serviceId) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO webhook_deliveries (id, provider, service_id, delivery_id, event_type, payload_size, "
                        + "payload_truncated, status, response_code, created_at) VALUES (?, 'github', ?, ?, 'push', "
                        + "0, FALSE, 'accepted', 202, ?)")) {
            ps.setString(1, id);
            ps.setString(2, serviceId);
            ps.setString(3, "provider-" + id);
            Jdbc.setInstant(ps, 4, Instant.now());
            ps.executeUpdate();
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }

    private String status(String id) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status, error FROM deployments WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1) + " " + rs.getString(2);
            }
        }
    }
}
