package dev.webhookhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Postgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Claim leases on a real H2 and a real PostgreSQL: renewed while held, taken over once, never both ways. */
class DeploymentClaimLeaseTest {

    private static final Duration LONG = Duration.ofMinutes(5);
    private final List<HikariDataSource> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(HikariDataSource::close);
    }

    @Test
    void leasesOnH2() {
        leases(open(Database.open("jdbc:h2:mem:leases-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 4)));
    }

    @Test
    void leasesOnPostgres() {
        leases(open(Postgres.openFreshStore(4)));
    }

    private void leases(HikariDataSource ds) {
        ServiceStore services = new ServiceStore(ds, () -> { });
        DeploymentRuns runs = new DeploymentRuns(ds, StoreFlush.NONE);
        String serviceId = services.create("leased", "https://example.test/leased.git", "main", "{}").id();
        DeploymentRun d = runs.createPending(serviceId, "manual", "a".repeat(40), "main", "m", null, null);

        // a live claim is not taken over
        assertThat(runs.claim(d, "hub-a", LONG)).isTrue();
        assertThat(runs.takeOverExpired("hub-b", LONG, 5)).isEmpty();

        // hub-a's lease runs out (it stopped renewing): of two instances trying, one takes it over
        assertThat(runs.renewLeases("hub-a", Duration.ofMillis(1))).isEqualTo(1);
        Instant expired = Instant.now().plusMillis(20);
        Await.until(() -> Instant.now().isAfter(expired), Duration.ofSeconds(5), "the lease to run out");
        List<DeploymentRun> byB = runs.takeOverExpired("hub-b", LONG, 5);
        List<DeploymentRun> byC = runs.takeOverExpired("hub-c", LONG, 5);
        assertThat(byB).extracting(DeploymentRun::id).containsExactly(d.id());
        assertThat(byB.get(0).claimedBy()).isEqualTo("hub-a");
        assertThat(byC).isEmpty();
        assertThat(runs.find(d.id()).orElseThrow().claimedBy()).isEqualTo("hub-b");

        // hub-a restarted: the deployment is no longer its to resume
        assertThat(runs.renewLease(d.id(), "hub-a", LONG)).isFalse();
        assertThat(runs.claimedBy("hub-a")).isEmpty();
        // hub-b renews it and keeps it
        assertThat(runs.renewLease(d.id(), "hub-b", LONG)).isTrue();
        assertThat(runs.renewLeases("hub-b", LONG)).isEqualTo(1);
        assertThat(runs.takeOverExpired("hub-a", LONG, 5)).isEmpty();
        // nothing to take when there are no free slots
        assertThat(runs.takeOverExpired("hub-c", LONG, 0)).isEmpty();
    }

    private HikariDataSource open(HikariDataSource ds) {
        opened.add(ds);
        return ds;
    }
}
