package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookhub.support.Await;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-letter ends of the worker and the deployment flow: a step that keeps failing after its redeliveries ends
 * the delivery (failed) or the deployment (build_failed) with its error. The dead-letter routes work on the message
 * as it was when the step failed, so no route asks Camel for the original message, which would make it copy the
 * incoming message of every exchange in every route.
 */
class DeadLetterTest {

    @TempDir
    Path dataDir;

    @Test
    void noRouteMakesCamelKeepTheOriginalMessageOfEveryExchange() {
        try (TestHub hub = TestHub.start(dataDir)) {
            assertThat(hub.context().isAllowUseOriginalMessage()).isFalse();
        }
    }

    @Test
    void aBatchTheWorkerCannotProcessEndsFailedWithItsError() throws Exception {
        try (TestHub hub = TestHub.start(dataDir)) {
            AdviceWith.adviceWith(hub.context(), "git-event-worker", a -> a.weaveById("create-deployments")
                    .replace().throwException(new IllegalStateException("the worker broke")));
            String service = hub.createService("dead-letter", "main");
            String deliveryId = push(hub, service);

            awaitColumn(hub, "SELECT status FROM webhook_deliveries WHERE id = ?", deliveryId, "failed");
            assertThat(column(hub, "SELECT error FROM webhook_deliveries WHERE id = ?", deliveryId))
                    .contains("the worker broke");
            assertThat(column(hub, "SELECT COUNT(*) FROM deployments WHERE delivery_id = ?", deliveryId))
                    .isEqualTo("0");
        }
    }

    @Test
    void aDeploymentWhoseStepKeepsFailingEndsWithItsError() throws Exception {
        // deploys on (a Docker host is set); nothing answers there, and the build step is replaced anyway
        try (TestHub hub = TestHub.start(dataDir, Map.of("hub.docker.host", "tcp://127.0.0.1:9",
                "hub.deploy.poll-interval-ms", "100"))) {
            AdviceWith.adviceWith(hub.context(), "deployment-flow", a -> a.weaveById("build-image")
                    .replace().throwException(new IllegalStateException("the build step broke")));
            String service = hub.createService("dead-letter-deploy", "main");
            String deliveryId = push(hub, service);

            awaitColumn(hub, "SELECT status FROM deployments WHERE delivery_id = ?", deliveryId, "build_failed");
            assertThat(column(hub, "SELECT error FROM deployments WHERE delivery_id = ?", deliveryId))
                    .isEqualTo("deployment stopped: the build step broke");
        }
    }

    private static String push(TestHub hub, String service) throws Exception {
        String secret = hub.issueSecret(service, "github");
        byte[] body = GitWebhookFlowContract.githubBranchPush("main", "7".repeat(40));
        HttpResponse<String> r = hub.postWebhook("github", service, body, Map.of("Content-Type",
                "application/json", "X-GitHub-Event", "push", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", Signatures.githubSha256(secret, body)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).get("deliveryId").asText();
    }

    /** Waits out the redeliveries (3 of the worker's, 0.5 + 1 + 2 s; 2 of the deployment's, 1 s each). */
    private static void awaitColumn(TestHub hub, String sql, String id, String expected) throws Exception {
        Await.untilAsserted(Duration.ofSeconds(20),
                () -> assertThat(column(hub, sql, id)).as(sql + " for " + id).isEqualTo(expected));
    }

    private static String column(TestHub hub, String sql, String id) throws Exception {
        try (Connection c = hub.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
