package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.DockerStandIn;
import dev.webhookhub.support.GitRepos;
import dev.webhookhub.support.Postgres;
import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import dev.webhookhub.events.HubEvent;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.RouteBuilder;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hub instances on one PostgreSQL: a deployment's claim is a lease its instance renews while it lives; when the
 * instance holding it stops mid-build, the other takes the deployment over once the lease has expired and finishes it,
 * once.
 */
class DeploymentClaimTakeoverTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration LEASE = Duration.ofSeconds(2);

    @TempDir
    Path dataA;

    @TempDir
    Path dataB;

    @TempDir
    Path repos;

    @Test
    void aDeadInstancesDeploymentIsTakenOverAndFinishedOnce() throws Exception {
        try (DockerStandIn docker = DockerStandIn.start();
                GitRepos repo = GitRepos.withDockerfile(repos.resolve("app"))) {
            Map<String, String> common = new HashMap<>(Postgres.freshDatabase());
            common.put("hub.docker.host", docker.host());
            common.put("hub.deploy.health-timeout", "5s");
            common.put("hub.deploy.health-interval", "100ms");
            common.put("hub.deploy.poll-interval-ms", "100");
            common.put("hub.deploy.claim-lease", LEASE.toMillis() + "ms");
            common.put("camel.main.shutdown-timeout", "2");
            Map<String, String> a = new HashMap<>(common);
            a.put("hub.deploy.instance-id", "hub-a");
            Map<String, String> b = new HashMap<>(common);
            b.put("hub.deploy.instance-id", "hub-b");
            String image = "takeover-app:" + repo.head().substring(0, 12);
            docker.blockBuilds(tag -> true);

            TestHub hubA = TestHub.start(dataA, a);
            String serviceId;
            String deploymentId;
            try (TestHub hubB = TestHub.start(dataB, b)) {
                try {
                    serviceId = DeploymentRestartTest.createService(hubA, "takeover-app", repo.url());
                    listenToEvents(hubA);
                    listenToEvents(hubB);
                    // the push goes to A; either instance may claim the deployment: the one that does is the one
                    // that dies
                    DeploymentRestartTest.push(hubA, serviceId, hubA.issueSecret(serviceId, "github"), repo.head());
                    Await.until(() -> docker.blockedBuilds() == 1, WAIT, "the build to start");
                    deploymentId = json(hubA.admin("GET", "/api/containers/services/" + serviceId + "/deployments",
                            null)).get("items").get(0).get("id").asText();
                    String holder = claimedBy(hubA.dataSource(), deploymentId);
                    assertThat(holder).isIn("hub-a", "hub-b");
                    TestHub living = holder.equals("hub-a") ? hubB : hubA;
                    TestHub dying = holder.equals("hub-a") ? hubA : hubB;
                    String livingId = holder.equals("hub-a") ? "hub-b" : "hub-a";

                    // while its holder lives it renews the lease: two whole leases later nobody took it over
                    Instant until = Instant.now().plus(LEASE.multipliedBy(2));
                    Await.until(() -> Instant.now().isAfter(until), WAIT, "two leases to pass");
                    assertThat(claimedBy(hubA.dataSource(), deploymentId)).isEqualTo(holder);
                    assertThat(leaseUntil(hubA.dataSource(), deploymentId)).isAfter(Instant.now().minus(LEASE));
                    assertThat(docker.builds).hasSize(1);
                    assertThat(docker.blockedBuilds()).isEqualTo(1);

                    // the holder stops in the middle of the build (its daemon connection goes with it)
                    Thread stopper = new Thread(dying::close);
                    stopper.start();
                    Await.until(() -> dying.context().isStopping() || dying.context().isStopped(), WAIT,
                            "the holder to stop");
                    docker.abortBlockedBuilds();
                    stopper.join(WAIT.toMillis());

                    // the other instance takes it over once the lease has expired, and finishes it
                    String path = "/api/containers/services/" + serviceId + "/deployments/" + deploymentId;
                    Await.until(() -> "running".equals(json(living.admin("GET", path, null)).get("status").asText()),
                            WAIT, "the other instance to finish the deployment");
                    assertThat(claimedBy(living.dataSource(), deploymentId)).isEqualTo(livingId);
                    assertThat(docker.serviceImage("takeover-app")).isEqualTo(image);
                    assertThat(docker.creates).filteredOn(c -> c.path("Name").asText().equals("takeover-app"))
                            .hasSize(1);
                    assertThat(docker.updatesOf("takeover-app")).isEmpty();
                    assertThat(docker.builds).filteredOn(x -> x.tag().equals(image)).hasSize(2);
                    String log = living.admin("GET", path + "/logs", null).body();
                    assertThat(log).containsOnlyOnce("stopped renewing its claim; instance " + livingId
                            + " takes the deployment over");
                    JsonNode service = json(living.admin("GET", "/api/containers/services/" + serviceId, null));
                    assertThat(service.get("status").asText()).isEqualTo("running");
                    assertThat(json(living.admin("GET", "/api/containers/services/" + serviceId + "/deployments",
                            null)).get("items")).hasSize(1);
                    Await.until(() -> EVENTS.stream().anyMatch(e -> e.equals(deploymentId + " deployment_completed")),
                            WAIT, "deployment_completed");
                    assertThat(EVENTS).filteredOn(e -> e.equals(deploymentId + " deployment_completed")).hasSize(1);
                    assertThat(EVENTS).filteredOn(e -> e.equals(deploymentId + " deployment_started")).hasSize(1);
                } finally {
                    hubA.close();
                }
            }
        }
    }

    static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    private static void listenToEvents(TestHub hub) throws Exception {
        String id = "test-events-" + hub.port();
        hub.context().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("{{hub.events.endpoint}}").routeId(id).process(e -> {
                    HubEvent ev = e.getIn().getBody(HubEvent.class);
                    EVENTS.add(ev.text("deployment_id") + " " + ev.type());
                });
            }
        });
    }

    private static String claimedBy(DataSource ds, String deploymentId) throws Exception {
        return one(ds, "SELECT claimed_by FROM deployments WHERE id = ?", deploymentId);
    }

    private static Instant leaseUntil(DataSource ds, String deploymentId) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT claim_lease_until FROM deployments WHERE id = ?")) {
            ps.setString(1, deploymentId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    private static String one(DataSource ds, String sql, String arg) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
