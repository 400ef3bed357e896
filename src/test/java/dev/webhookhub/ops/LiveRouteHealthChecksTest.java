package dev.webhookhub.ops;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync runs add and remove connector routes every run. Camel 4.17's route health checks kept every removed route
 * (a leak) and failed the whole health answer for a route removed meanwhile; the hub's own repositories do neither.
 */
class LiveRouteHealthChecksTest {

    @TempDir
    Path dataDir;

    @Test
    void syncRunsLeaveNoRouteChecksBehindAndHealthAnswersWhileTheyRun() throws Exception {
        try (TestHub hub = TestHub.start(dataDir)) {
            HealthCheckRegistry registry = HealthCheckRegistry.get(hub.context());
            LiveRouteHealthChecks routes = (LiveRouteHealthChecks) registry.getRepository("routes").orElseThrow();
            assertThat(registry.getRepository("consumers").orElseThrow()).isInstanceOf(LiveRouteHealthChecks.class);
            String config = hub.createSyncConfig("health-under-runs");

            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<List<Integer>> polls = pool.submit(() -> {
                List<Integer> codes = new ArrayList<>();
                while (running.get()) {
                    codes.add(hub.admin("GET", "/observe/health", null).statusCode());
                }
                return codes;
            });
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> r = hub.admin("POST", "/api/jobs/queue/" + config, "{\"dry_run\":true}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                jobs.add(json(r).get("job_id").asText());
            }
            for (String job : jobs) {
                dev.webhookhub.support.Await.until(() -> {
                    JsonNode s = json(hub.admin("GET", "/api/jobs/status/" + job, null)).path("job");
                    return s.path("status").asText().matches("completed|failed");
                }, java.time.Duration.ofSeconds(60), "job " + job + " finished");
            }
            running.set(false);
            List<Integer> codes = polls.get();
            pool.shutdown();

            assertThat(codes).isNotEmpty().allMatch(c -> c == 200 || c == 503);
            HttpResponse<String> health = hub.admin("GET", "/observe/health", null);
            assertThat(health.body()).contains("route:git-webhook-receiver").doesNotContain("sync-run-");
            long current = hub.context().getRoutes().stream().filter(r -> !r.getId().startsWith("sync-run-")).count();
            assertThat((long) routes.size()).isEqualTo(current);
        }
    }
}
