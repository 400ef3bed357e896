package dev.webhookhub.ops;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.apache.camel.impl.health.RouteHealthCheck;
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

    /**
     * A route removed between the listing of its checks and their call (a sync config deleted while /observe/health
     * or /observe/info runs): Camel 4.17's checks throw on the missing route status, which made the whole answer a
     * 500 (seen in HttpFuzzTest); the hub's report the route as removed.
     */
    @Test
    void aRouteRemovedAfterItsChecksWereListedIsReportedNotThrown() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class,
                    new DefaultHealthCheckRegistry(context));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:kept").routeId("kept").to("log:kept");
                    from("direct:gone").routeId("gone").to("log:gone");
                }
            });
            context.start();
            LiveRouteHealthChecks.install(context, id -> false);
            HealthCheckRegistry registry = HealthCheckRegistry.get(context);
            List<HealthCheck> listed = new ArrayList<>();
            registry.getRepository("routes").orElseThrow().stream().forEach(listed::add);
            registry.getRepository("consumers").orElseThrow().stream().forEach(listed::add);
            assertThat(listed).hasSize(4);
            RouteHealthCheck camelsOwn = new RouteHealthCheck(context.getRoute("gone"));
            camelsOwn.setCamelContext(context);

            context.getRouteController().stopRoute("gone");
            context.removeRoute("gone");

            assertThatThrownBy(camelsOwn::call).as("the Camel 4.17 behaviour this guards against")
                    .isInstanceOf(NullPointerException.class);
            for (HealthCheck check : listed) {
                HealthCheck.Result result = check.call();
                assertThat(result.getState()).as(check.getId()).isEqualTo(HealthCheck.State.UP);
                if (check.getId().endsWith("gone")) {
                    assertThat(result.getMessage()).as(check.getId())
                            .hasValueSatisfying(m -> assertThat(m).contains("was removed"));
                } else {
                    assertThat(result.getMessage()).as(check.getId()).isEmpty();
                    assertThat(result.getDetails()).containsEntry("route.status", "Started");
                }
            }
        }
    }
}
