package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.DockerStandIn;
import dev.webhookhub.support.GitRepos;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hub stopped in the middle of a deployment finishes it after a restart; without DOCKER_HOST nothing deploys. */
class DeploymentRestartTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @TempDir
    Path repos;

    @Test
    void hubRestartedMidBuildFinishesTheDeployment() throws Exception {
        try (DockerStandIn docker = DockerStandIn.start();
                GitRepos repo = GitRepos.withDockerfile(repos.resolve("app"))) {
            Map<String, String> settings = new HashMap<>();
            settings.put("hub.docker.host", docker.host());
            settings.put("hub.deploy.health-timeout", "3s");
            settings.put("hub.deploy.health-interval", "100ms");
            settings.put("hub.deploy.poll-interval-ms", "100");
            settings.put("camel.main.shutdown-timeout", "2");
            docker.blockBuilds(tag -> true);
            String serviceId;
            String deploymentId;
            TestHub first = TestHub.start(dataDir, settings);
            try (TestHub hub = first) {
                serviceId = createService(hub, "restart-app", repo.url());
                push(hub, serviceId, hub.issueSecret(serviceId, "github"), repo.head());
                Await.until(() -> docker.blockedBuilds() == 1, WAIT, "the build to start");
                JsonNode d = json(hub.admin("GET", "/api/containers/services/" + serviceId + "/deployments", null))
                        .get("items").get(0);
                assertThat(d.get("status").asText()).isEqualTo("building");
                deploymentId = d.get("id").asText();
                // the hub stops while the build runs; the daemon drops the build as its client goes away
                Thread stopper = new Thread(hub::close);
                stopper.start();
                Await.until(() -> hub.context().isStopping() || hub.context().isStopped(), WAIT, "the hub to stop");
                docker.abortBlockedBuilds();
                stopper.join(WAIT.toMillis());
            }
            try (TestHub hub = TestHub.start(dataDir, settings)) {
                String path = "/api/containers/services/" + serviceId + "/deployments/" + deploymentId;
                Await.until(() -> "running".equals(json(hub.admin("GET", path, null)).get("status").asText()), WAIT,
                        "the deployment to finish after the restart");
                assertThat(docker.serviceImage("restart-app")).isEqualTo("restart-app:" + repo.head().substring(0, 12));
                assertThat(docker.builds).filteredOn(b -> b.tag().equals("restart-app:" + repo.head().substring(0, 12)))
                        .hasSizeGreaterThanOrEqualTo(2);
                assertThat(json(hub.admin("GET", "/api/containers/services/" + serviceId, null)).get("status")
                        .asText()).isEqualTo("running");
                assertThat(hub.admin("GET", path + "/logs", null).body()).contains("Successfully tagged");
            }
        }
    }

    @Test
    void hubRestartedMidHealthCheckFinishesWithoutUpdatingTwice() throws Exception {
        try (DockerStandIn docker = DockerStandIn.start();
                GitRepos repo = GitRepos.withDockerfile(repos.resolve("health"))) {
            Map<String, String> settings = new HashMap<>();
            settings.put("hub.docker.host", docker.host());
            settings.put("hub.deploy.health-timeout", "20s");
            settings.put("hub.deploy.health-interval", "100ms");
            settings.put("hub.deploy.poll-interval-ms", "100");
            settings.put("camel.main.shutdown-timeout", "5");
            String image = "health-app:" + repo.head().substring(0, 12);
            docker.existingService("health-app", "health-app:old", 1);
            docker.startSlowly(image::equals);
            String serviceId;
            String deploymentId;
            try (TestHub hub = TestHub.start(dataDir, settings)) {
                serviceId = createService(hub, "health-app", repo.url());
                push(hub, serviceId, hub.issueSecret(serviceId, "github"), repo.head());
                Await.until(() -> image.equals(docker.serviceImage("health-app")), WAIT, "the Swarm update");
                JsonNode d = json(hub.admin("GET", "/api/containers/services/" + serviceId + "/deployments", null))
                        .get("items").get(0);
                assertThat(d.get("status").asText()).isEqualTo("deploying");
                assertThat(d.get("previous_image").asText()).isEqualTo("health-app:old");
                deploymentId = d.get("id").asText();
            }
            docker.startSlowly(i -> false);
            try (TestHub hub = TestHub.start(dataDir, settings)) {
                String path = "/api/containers/services/" + serviceId + "/deployments/" + deploymentId;
                Await.until(() -> "running".equals(json(hub.admin("GET", path, null)).get("status").asText()), WAIT,
                        "the deployment to finish after the restart");
                // the resumed deployment inspected the service first: one update, at the version it had
                assertThat(docker.updatesOf("health-app")).extracting(DockerStandIn.Update::image).containsExactly(image);
                assertThat(json(hub.admin("GET", path, null)).get("previous_image").asText())
                        .isEqualTo("health-app:old");
                assertThat(docker.builds).filteredOn(b -> b.tag().equals(image)).hasSize(1);
            }
        }
    }

    @Test
    void withoutDockerHostPushesStayPendingWithTheReason() throws Exception {
        try (GitRepos repo = GitRepos.withDockerfile(repos.resolve("off"));
                TestHub hub = TestHub.start(dataDir, Map.of("hub.deploy.poll-interval-ms", "100"))) {
            String serviceId = createService(hub, "off-app", repo.url());
            push(hub, serviceId, hub.issueSecret(serviceId, "github"), repo.head());
            String path = "/api/containers/services/" + serviceId + "/deployments";
            Await.until(() -> {
                JsonNode items = json(hub.admin("GET", path, null)).get("items");
                return items.size() == 1 && !items.get(0).get("error").isNull();
            }, WAIT, "the pending deployment's reason");
            JsonNode d = json(hub.admin("GET", path, null)).get("items").get(0);
            assertThat(d.get("status").asText()).isEqualTo("pending");
            assertThat(d.get("error").asText()).isEqualTo("deploys are off (DOCKER_HOST not set)");
            // following its log ends: a deployment that will not start has no more log to wait for
            HttpResponse<String> follow = hub.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.url(
                    path + "/" + d.get("id").asText() + "/logs?follow=true"))).header("Authorization", "Bearer "
                    + hub.token()).timeout(Duration.ofSeconds(10)).GET());
            assertThat(follow.statusCode()).isEqualTo(200);
            HttpResponse<String> health = hub.admin("GET", "/observe/health", null);
            assertThat(health.body()).contains("deployments");
            assertThat(health.body()).contains("deploys are off (DOCKER_HOST not set)");
        }
    }

    static String createService(TestHub hub, String name, String repoUrl) {
        HttpResponse<String> r = hub.admin("POST", "/api/containers/services", "{\"name\":\"" + name
                + "\",\"git_repository\":\"" + repoUrl + "\",\"git_branch\":\"main\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    static void push(TestHub hub, String serviceId, String secret, String sha) throws Exception {
        ObjectNode p = (ObjectNode) TestHub.MAPPER.readTree(Files.readAllBytes(
                TestHub.samples().resolve("github/push.json")));
        p.put("ref", "refs/heads/main");
        p.put("after", sha);
        p.put("deleted", false);
        p.putObject("head_commit").put("id", sha).put("message", "change");
        byte[] body = TestHub.MAPPER.writeValueAsBytes(p);
        Map<String, String> h = new HashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-GitHub-Event", "push");
        h.put("X-GitHub-Delivery", UUID.randomUUID().toString());
        h.put("X-Hub-Signature-256", Signatures.githubSha256(secret, body));
        assertThat(hub.postWebhook("github", serviceId, body, h).statusCode()).isEqualTo(202);
    }
}
