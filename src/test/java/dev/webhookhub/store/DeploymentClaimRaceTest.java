package dev.webhookhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.webhookhub.support.Postgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Per-service deployment serialisation across instances: two hub instances (two pools, two instance ids) on one
 * PostgreSQL race to claim a service's pending deployments; the database lets exactly one through.
 */
class DeploymentClaimRaceTest {

    @Test
    void twoInstancesClaimingOneServicesDeploymentsGetOneBetweenThem() throws Exception {
        try (HikariDataSource a = Postgres.openFreshStore(8); HikariDataSource b = new HikariDataSource(copyOf(a))) {
            ServiceStore services = new ServiceStore(a, () -> { });
            String service = services.create("shop", "https://example.test/shop.git", "main", "{}").id();
            List<DeploymentStore.Completion> pushes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String delivery = "d-" + i;
                AcceptedDeliveries.insert(a, delivery, service);
                Instant at = Instant.now().plusMillis(i);
                pushes.add(new DeploymentStore.Completion(delivery, new Deployment(TimeOrderedIds.next(), service,
                        delivery, "github", "pending", String.valueOf(i).repeat(40), "main", "Fix " + i, "Octo",
                        "https://example.test/r", null, at, at)));
            }
            assertThat(new DeploymentStore(a).completeDeliveries(pushes)).hasSize(3);

            DeploymentRuns first = new DeploymentRuns(a, StoreFlush.NONE);
            DeploymentRuns second = new DeploymentRuns(b, StoreFlush.NONE);
            ExecutorService pool = Executors.newFixedThreadPool(12);
            List<Future<Integer>> results = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            try {
                for (int t = 0; t < 12; t++) {
                    DeploymentRuns runs = t % 2 == 0 ? first : second;
                    String instance = t % 2 == 0 ? "hub-a" : "hub-b";
                    results.add(pool.submit(() -> {
                        go.await();
                        int won = 0;
                        for (DeploymentRun d : runs.pending(100)) {
                            won += runs.claim(d, instance) ? 1 : 0;
                        }
                        return won;
                    }));
                }
                go.countDown();
                int won = 0;
                for (Future<Integer> f : results) {
                    won += f.get();
                }
                assertThat(won).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
            try (Connection c = a.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM deployments WHERE status = 'building'");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            assertThat(first.activeClaims("hub-a") + first.activeClaims("hub-b")).isEqualTo(1);
        }
    }

    private static HikariConfig copyOf(HikariDataSource ds) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(ds.getJdbcUrl());
        c.setUsername(ds.getUsername());
        c.setPassword(ds.getPassword());
        c.setMaximumPoolSize(8);
        return c;
    }
}
