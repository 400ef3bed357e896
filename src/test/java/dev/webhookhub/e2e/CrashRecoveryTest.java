package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookhub.support.Postgres;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delivery committed and acknowledged but never worked (the hub stopped with it queued in memory) is processed
 * exactly once after a restart, even when it is queued again.
 */
class CrashRecoveryTest {

    @TempDir
    Path dataDir;

    @Test
    void onH2() throws Exception {
        acceptedDeliveryIsProcessedOnceAfterRestart(Map.of());
    }

    @Test
    void onPostgres() throws Exception {
        acceptedDeliveryIsProcessedOnceAfterRestart(Postgres.freshDatabase());
    }

    private void acceptedDeliveryIsProcessedOnceAfterRestart(Map<String, String> store) throws Exception {
        Map<String, String> receiverOnly = new HashMap<>(store);
        // only the receiver flow: deliveries are committed and queued, but no worker or recovery runs
        receiverOnly.put("camel.main.shutdown-timeout", "1");
        receiverOnly.put("camel.main.routes-include-pattern",
                "file:" + TestHub.projectDir().resolve("routes/git-webhooks.yaml"));
        String service;
        String deliveryId;
        try (TestHub first = TestHub.start(dataDir, receiverOnly)) {
            service = first.createService("crash", "main");
            String secret = first.issueSecret(service, "github");
            byte[] body = GitWebhookFlowContract.githubBranchPush("main", "9".repeat(39) + "a");
            HttpResponse<String> r = first.postWebhook("github", service, body, Map.of("Content-Type",
                    "application/json", "X-GitHub-Event", "push", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                    "X-Hub-Signature-256", Signatures.githubSha256(secret, body)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            deliveryId = json(r).get("deliveryId").asText();
            assertThat(status(first, deliveryId)).isEqualTo("accepted");
            assertThat(deploymentCount(first, service)).isZero();
        }

        Map<String, String> full = new HashMap<>(store);
        full.put("hub.recovery.interval-ms", "200");
        full.put("hub.recovery.min-age-seconds", "0");
        try (TestHub second = TestHub.start(dataDir, full)) {
            Instant end = Instant.now().plusSeconds(15);
            while (deploymentCount(second, service) == 0 && Instant.now().isBefore(end)) {
                Thread.sleep(50);
            }
            assertThat(deploymentCount(second, service)).as("deployments; delivery is %s (%s); queue %s; routes %s",
                    status(second, deliveryId), queryString(second, "SELECT error FROM webhook_deliveries WHERE id = ?",
                            deliveryId),
                    ((org.apache.camel.component.seda.SedaEndpoint) second.context().getEndpoints().stream()
                            .filter(e -> e.getEndpointUri().startsWith("seda://git-events")).findFirst().orElseThrow())
                            .getExchanges().size(),
                    second.context().getRouteController().getRouteStatus("git-event-worker") + "/"
                            + second.context().getInflightRepository().size() + " inflight "
                            + second.context().getInflightRepository().browse().stream()
                                    .map(i -> i.getFromRouteId() + "@" + i.getAtRouteId() + ":" + i.getNodeId() + " "
                                            + i.getDuration() + "ms").toList()
                            + "; " + routeCounts(second)).isEqualTo(1);
            assertThat(status(second, deliveryId)).isEqualTo("processed");

            // the same delivery queued again (as a second recovery would) changes nothing
            second.context().createProducerTemplate().sendBody("seda:git-events?size=10000", event(second,
                    deliveryId));
            Thread.sleep(1000); // several periodic recovery runs (every 200 ms) and the extra copy
            assertThat(deploymentCount(second, service)).isEqualTo(1);
            assertThat(status(second, deliveryId)).isEqualTo("processed");
        }
    }

    /** Exchanges through the recovery and worker routes, and what the worker's batching aggregator holds. */
    private static String routeCounts(TestHub hub) {
        org.apache.camel.api.management.ManagedCamelContext managed = hub.context().getCamelContextExtension()
                .getContextPlugin(org.apache.camel.api.management.ManagedCamelContext.class);
        StringBuilder b = new StringBuilder();
        for (String id : new String[] { "delivery-recovery-at-start", "delivery-recovery-periodic",
                "requeue-deliveries", "git-event-worker" }) {
            var route = managed.getManagedRoute(id);
            b.append(id).append(' ').append(route == null ? "-" : route.getExchangesTotal() + "/"
                    + route.getExchangesFailed() + "failed ");
        }
        var aggregator = managed.getManagedProcessor("batch-git-events",
                org.apache.camel.api.management.mbean.ManagedAggregateProcessorMBean.class);
        if (aggregator != null) {
            b.append("aggregator in progress ").append(aggregator.getInProgressCompleteExchanges())
                    .append(", completed by timeout ").append(aggregator.getCompletedByTimeout())
                    .append(", by size ").append(aggregator.getCompletedBySize());
        }
        javax.sql.DataSource ds = hub.dataSource();
        if (ds instanceof com.zaxxer.hikari.HikariDataSource h && h.getHikariPoolMXBean() != null) {
            var pool = h.getHikariPoolMXBean();
            b.append("; db pool active ").append(pool.getActiveConnections()).append(" idle ")
                    .append(pool.getIdleConnections()).append(" waiting ").append(pool.getThreadsAwaitingConnection());
        }
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().contains("Aggregat") || t.getName().contains("git-events")) {
                b.append("\n  thread ").append(t.getName()).append(' ').append(t.getState());
                for (int i = 0; i < Math.min(stack.length, 12); i++) {
                    b.append("\n    at ").append(stack[i]);
                }
            }
        });
        return b.toString();
    }

    private static String status(TestHub hub, String deliveryId) throws Exception {
        return queryString(hub, "SELECT status FROM webhook_deliveries WHERE id = ?", deliveryId);
    }

    private static String event(TestHub hub, String deliveryId) throws Exception {
        return queryString(hub, "SELECT event FROM webhook_deliveries WHERE id = ?", deliveryId);
    }

    private static int deploymentCount(TestHub hub, String serviceId) throws Exception {
        return Integer.parseInt(queryString(hub, "SELECT COUNT(*) FROM deployments WHERE service_id = ?", serviceId));
    }

    private static String queryString(TestHub hub, String sql, String param) throws Exception {
        try (Connection c = hub.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
