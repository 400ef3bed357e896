package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.DockerStandIn;
import dev.webhookhub.support.GitRepos;
import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HUB_DEPLOY_CANCEL_RUNNING=true cancels a running build for a newer push; HUB_BUILD_TIMEOUT fails a slow build. */
class DeploymentCancelAndTimeoutTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @TempDir
    Path repos;

    @Test
    void newerPushCancelsTheRunningBuildAndSlowBuildsTimeOut() throws Exception {
        try (DockerStandIn docker = DockerStandIn.start();
                GitRepos repo = GitRepos.withDockerfile(repos.resolve("cancel"));
                GitRepos slowRepo = GitRepos.withDockerfile(repos.resolve("slow"));
                TestHub hub = TestHub.start(dataDir, Map.of("hub.docker.host", docker.host(),
                        "hub.deploy.cancel-running", "true", "hub.deploy.build-timeout", "3s",
                        "hub.deploy.health-timeout", "3s", "hub.deploy.health-interval", "100ms",
                        "hub.deploy.poll-interval-ms", "100"))) {
            String sha1 = repo.head();
            docker.blockBuilds(tag -> tag.equals("cancel-app:" + sha1.substring(0, 12))
                    || tag.startsWith("slow-app:"));
            String svc = DeploymentRestartTest.createService(hub, "cancel-app", repo.url());
            String secret = hub.issueSecret(svc, "github");
            DeploymentRestartTest.push(hub, svc, secret, sha1);
            Await.until(() -> docker.blockedBuilds() == 1, WAIT, "the first build to start");
            String sha2 = repo.commit("two", Map.of("app.txt", "2\n"));
            DeploymentRestartTest.push(hub, svc, secret, sha2);
            Await.until(() -> "running".equals(status(hub, svc, sha2)), WAIT, "the newer push to run");
            JsonNode first = deployment(hub, svc, sha1);
            assertThat(first.get("status").asText()).isEqualTo("superseded");
            assertThat(first.get("error").asText()).contains("build cancelled");
            assertThat(docker.serviceImage("cancel-app")).isEqualTo("cancel-app:" + sha2.substring(0, 12));

            String slow = DeploymentRestartTest.createService(hub, "slow-app", slowRepo.url());
            DeploymentRestartTest.push(hub, slow, hub.issueSecret(slow, "github"), slowRepo.head());
            Await.until(() -> "build_failed".equals(status(hub, slow, slowRepo.head())), WAIT, "the slow build to fail");
            assertThat(deployment(hub, slow, slowRepo.head()).get("error").asText()).contains("timed out after 3 s");
            assertThat(docker.serviceImage("slow-app")).isNull();
        }
    }

    static JsonNode deployment(TestHub hub, String serviceId, String sha) {
        for (JsonNode d : json(hub.admin("GET", "/api/containers/services/" + serviceId + "/deployments", null))
                .get("items")) {
            if (sha.equals(d.path("commit_sha").asText())) {
                return d;
            }
        }
        return null;
    }

    static String status(TestHub hub, String serviceId, String sha) {
        JsonNode d = deployment(hub, serviceId, sha);
        return d == null ? null : d.get("status").asText();
    }
}
