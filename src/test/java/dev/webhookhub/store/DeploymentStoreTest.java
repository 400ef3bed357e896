package dev.webhookhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.webhookhub.support.Postgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's batch transaction on a real H2 and a real PostgreSQL database. */
class DeploymentStoreTest {

    private final List<HikariDataSource> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(HikariDataSource::close);
    }

    private HikariDataSource h2() {
        HikariDataSource ds = Database.open("jdbc:h2:mem:deployments-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "", 4);
        opened.add(ds);
        return ds;
    }

    private HikariDataSource postgres() {
        HikariDataSource ds = Postgres.openFreshStore(4);
        opened.add(ds);
        return ds;
    }

    @Test
    void aPushForADeletedServiceFailsAloneAndSaysWhyOnH2() throws Exception {
        aPushForADeletedServiceFailsAloneAndSaysWhy(h2());
    }

    @Test
    void aPushForADeletedServiceFailsAloneAndSaysWhyOnPostgres() throws Exception {
        aPushForADeletedServiceFailsAloneAndSaysWhy(postgres());
    }

    private void aPushForADeletedServiceFailsAloneAndSaysWhy(HikariDataSource ds) throws Exception {
        ServiceStore services = new ServiceStore(ds, () -> { });
        String kept = services.create("kept", "https://example.test/kept.git", "main", "{}").id();
        String deleted = services.create("gone", "https://example.test/gone.git", "main", "{}").id();
        AcceptedDeliveries.insert(ds, "d-kept", kept);
        AcceptedDeliveries.insert(ds, "d-gone", deleted);
        assertThat(services.delete(deleted)).isTrue();

        Set<String> done = new DeploymentStore(ds).completeDeliveries(List.of(
                new DeploymentStore.Completion("d-kept", deployment("d-kept", kept)),
                new DeploymentStore.Completion("d-gone", deployment("d-gone", deleted))));

        assertThat(done).containsExactly("d-kept");
        assertThat(statusAndError(ds, "d-kept")).isEqualTo("processed null");
        assertThat(statusAndError(ds, "d-gone")).isEqualTo("failed service " + deleted
                + " was deleted before the delivery was processed");
    }

    private static Deployment deployment(String deliveryId, String serviceId) {
        Instant now = Instant.now();
        return new Deployment(TimeOrderedIds.next(), serviceId, deliveryId, "github", "pending", "a".repeat(40),
                "main", "Fix", "Octo Cat", "https://example.test/r", null, now, now);
    }

    private static String statusAndError(HikariDataSource ds, String id) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status, error FROM webhook_deliveries WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1) + " " + rs.getString(2);
            }
        }
    }
}
