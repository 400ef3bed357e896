package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database health check reads the tables receivers write to, and a store the receivers cannot use takes
 * readiness (and liveness) DOWN, with receivers answering 503 JSON meanwhile.
 */
class StoreHealthTest {

    @TempDir
    Path dir;

    private static HttpResponse<String> ready(TestHub hub) {
        return hub.send(HttpRequest.newBuilder(URI.create(hub.url("/observe/health/ready"))).GET());
    }

    private static HttpResponse<String> push(TestHub hub, String service, String secret) {
        byte[] body = ("{\"ref\":\"refs/heads/main\",\"after\":\"" + "a".repeat(40) + "\",\"repository\":{\"name\":\"x\"},"
                + "\"head_commit\":{\"id\":\"" + "a".repeat(40) + "\",\"message\":\"m\"}}")
                .getBytes(StandardCharsets.UTF_8);
        return hub.postWebhook("github", service, body, Map.of("Content-Type", "application/json",
                "X-GitHub-Event", "push", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", Signatures.githubSha256(secret, body)));
    }

    private static String databaseCheck(TestHub hub) {
        JsonNode health = TestHub.json(hub.admin("GET", "/observe/health", null));
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals("database")) {
                return check.get("status").asText() + " " + check.path("message").asText("");
            }
        }
        throw new AssertionError("no database check: " + health);
    }

    @Test
    void aMissingTableTakesReadinessDownAndReceiversAnswer503Json() throws Exception {
        try (TestHub hub = TestHub.start(dir)) {
            String service = hub.createService("health", "main");
            String secret = hub.issueSecret(service, "github");
            assertThat(ready(hub).statusCode()).isEqualTo(200);
            assertThat(push(hub, service, secret).statusCode()).isEqualTo(202);

            exec(hub, "ALTER TABLE webhook_deliveries RENAME TO webhook_deliveries_gone");
            HttpResponse<String> refused = push(hub, service, secret);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(TestHub.json(refused).get("code").asText()).isEqualTo("store_unavailable");
            HttpResponse<String> r = ready(hub);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.body()).contains("DOWN");
            assertThat(databaseCheck(hub)).startsWith("DOWN").contains("WEBHOOK_DELIVERIES");

            exec(hub, "ALTER TABLE webhook_deliveries_gone RENAME TO webhook_deliveries");
            assertThat(push(hub, service, secret).statusCode()).isEqualTo(202);
            Await.until(() -> ready(hub).statusCode() == 200, Duration.ofSeconds(10), "ready again");
            assertThat(databaseCheck(hub)).startsWith("UP");
        }
    }

    @Test
    void aClosedDatabaseIsReportedOrReopened() throws Exception {
        try (TestHub hub = TestHub.start(dir)) {
            String service = hub.createService("closed", "main");
            String secret = hub.issueSecret(service, "github");
            assertThat(push(hub, service, secret).statusCode()).isEqualTo(202);
            try (Connection c = hub.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (java.sql.SQLException closedUnderUs) {
                // H2 closes the connection it was given, and Hikari's close then finds it closed
            }
            // the store is reopened (the pool drops connections of the closed database); until then receivers
            // answer 503 JSON and readiness is DOWN
            Await.untilAsserted(Duration.ofSeconds(20), () -> {
                HttpResponse<String> p = push(hub, service, secret);
                if (p.statusCode() != 202) {
                    assertThat(p.statusCode()).as(p.body()).isEqualTo(503);
                    assertThat(TestHub.json(p).get("code").asText()).isEqualTo("store_unavailable");
                }
                assertThat(p.statusCode()).isEqualTo(202);
            });
            Await.until(() -> ready(hub).statusCode() == 200, Duration.ofSeconds(40), "ready after reopening");
            assertThat(databaseCheck(hub)).startsWith("UP");
            JsonNode deliveries = TestHub.json(hub.admin("GET", "/api/containers/services/" + service
                    + "/deliveries", null));
            assertThat(deliveries.get("total").asLong()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void postgresqlConnectionsKilledUnderTheHubAreReplaced() throws Exception {
        Map<String, String> db = dev.webhookhub.support.Postgres.freshDatabase();
        String name = db.get("hub.db.url").substring(db.get("hub.db.url").lastIndexOf('/') + 1).split("\\?")[0];
        try (TestHub hub = TestHub.start(dir, db)) {
            String service = hub.createService("pg", "main");
            String secret = hub.issueSecret(service, "github");
            assertThat(push(hub, service, secret).statusCode()).isEqualTo(202);
            try (Connection c = dev.webhookhub.support.Postgres.server().getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            }
            Await.untilAsserted(Duration.ofSeconds(20), () -> {
                HttpResponse<String> p = push(hub, service, secret);
                if (p.statusCode() != 202) {
                    assertThat(p.statusCode()).as(p.body()).isEqualTo(503);
                    assertThat(TestHub.json(p).get("code").asText()).isEqualTo("store_unavailable");
                }
                assertThat(p.statusCode()).isEqualTo(202);
            });
            Await.until(() -> ready(hub).statusCode() == 200, Duration.ofSeconds(40), "ready");
            assertThat(databaseCheck(hub)).startsWith("UP");
        }
    }

    @Test
    void theCheckReadsTheTablesReceiversWriteTo() {
        org.h2.jdbcx.JdbcDataSource empty = new org.h2.jdbcx.JdbcDataSource();
        empty.setURL("jdbc:h2:mem:empty-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        // a database that answers but lacks the receivers' tables is DOWN: a connection check alone said UP
        var check = new dev.webhookhub.ops.DatabaseHealthCheck(empty, null);
        var result = check.call();
        assertThat(result.getState().name()).isEqualTo("DOWN");
        assertThat(result.getMessage()).get().asString().contains("SERVICES");
    }

    private static void exec(TestHub hub, String sql) throws Exception {
        try (Connection c = hub.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
