package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.DockerStandIn;
import dev.webhookhub.support.GitRepos;
import dev.webhookhub.support.TestHub;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build types command (a command leaves the image in the daemon) and nix (an image tarball loaded and tagged). */
class DeploymentBuildTypesTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String REGISTRY = "reg.example.test:5000";

    @TempDir
    Path dataDir;

    @TempDir
    Path tmp;

    @Test
    void commandAndNixBuilds() throws Exception {
        Path nixScript = tmp.resolve("fake-nix-build.sh");
        Path nixArgs = tmp.resolve("nix-args.txt");
        Path imageTar = tmp.resolve("image.tar");
        try (OutputStream out = Files.newOutputStream(imageTar); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            byte[] manifest = "[{\"Config\":\"c.json\",\"RepoTags\":[\"nix-app:nix\"],\"Layers\":[]}]"
                    .getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("manifest.json");
            e.setSize(manifest.length);
            tar.putArchiveEntry(e);
            tar.write(manifest);
            tar.closeArchiveEntry();
        }
        Files.writeString(nixScript, "echo \"$@\" > " + nixArgs + "\necho building with nix\ncp " + imageTar
                + " result\n");
        try (DockerStandIn docker = DockerStandIn.start();
                GitRepos cmdRepo = GitRepos.withDockerfile(tmp.resolve("cmd"));
                GitRepos badRepo = GitRepos.withDockerfile(tmp.resolve("bad"));
                GitRepos nixRepo = GitRepos.withDockerfile(tmp.resolve("nix"));
                TestHub hub = TestHub.start(dataDir, Map.of("hub.docker.host", docker.host(),
                        "hub.docker.registry-url", REGISTRY, "hub.deploy.nix-build-command", "sh " + nixScript,
                        "hub.deploy.nix-cache-url", "https://cache.example.test",
                        "hub.deploy.health-timeout", "3s", "hub.deploy.health-interval", "100ms",
                        "hub.deploy.poll-interval-ms", "100"))) {
            // command: IMAGE, COMMIT, BRANCH in its environment; the image it leaves is pushed and deployed
            Path env = tmp.resolve("cmd-env.txt");
            String cmdImage = REGISTRY + "/cmd-app:" + cmdRepo.head().substring(0, 12);
            docker.addImage(cmdImage);
            String cmd = service(hub, "cmd-app", cmdRepo, "{\"type\":\"command\",\"command\":\"echo IMAGE=$IMAGE "
                    + "COMMIT=$COMMIT BRANCH=$BRANCH > " + env + "; echo packed\"}");
            DeploymentRestartTest.push(hub, cmd, hub.issueSecret(cmd, "github"), cmdRepo.head());
            JsonNode d = await(hub, cmd, cmdRepo.head());
            assertThat(d.get("status").asText()).as(d.toString()).isEqualTo("running");
            assertThat(Files.readString(env).strip()).isEqualTo("IMAGE=" + cmdImage + " COMMIT=" + cmdRepo.head()
                    + " BRANCH=main");
            assertThat(docker.pushes).anyMatch(p -> p.image().equals(cmdImage));
            assertThat(docker.serviceImage("cmd-app")).isEqualTo(cmdImage);
            assertThat(logs(hub, cmd, d)).contains("packed");

            // a failing command is a failed build with its exit code
            String bad = service(hub, "bad-app", badRepo, "{\"type\":\"command\",\"command\":\"echo oops; exit 3\"}");
            DeploymentRestartTest.push(hub, bad, hub.issueSecret(bad, "github"), badRepo.head());
            JsonNode b = await(hub, bad, badRepo.head());
            assertThat(b.get("status").asText()).isEqualTo("build_failed");
            assertThat(b.get("error").asText()).contains("exited with 3");
            assertThat(logs(hub, bad, b)).contains("oops");

            // nix: the build's tarball goes to /images/load, then is tagged and pushed
            String nix = service(hub, "nix-app", nixRepo, "{\"type\":\"nix\",\"nix_attr\":\"image\"}");
            DeploymentRestartTest.push(hub, nix, hub.issueSecret(nix, "github"), nixRepo.head());
            JsonNode n = await(hub, nix, nixRepo.head());
            assertThat(n.get("status").asText()).as(n.toString()).isEqualTo("running");
            String nixImage = REGISTRY + "/nix-app:" + nixRepo.head().substring(0, 12);
            assertThat(Files.readString(nixArgs).strip()).isEqualTo("default.nix -A image --out-link result "
                    + "--option extra-substituters https://cache.example.test");
            assertThat(docker.loads).contains("nix-app:nix");
            assertThat(docker.hasImage(nixImage)).isTrue();
            assertThat(docker.pushes).anyMatch(p -> p.image().equals(nixImage));
            assertThat(docker.serviceImage("nix-app")).isEqualTo(nixImage);
            assertThat(logs(hub, nix, n)).contains("building with nix", "Loaded image: nix-app:nix");
        }
    }

    static String service(TestHub hub, String name, GitRepos repo, String buildConfig) {
        HttpResponse<String> r = hub.admin("POST", "/api/containers/services", "{\"name\":\"" + name
                + "\",\"git_repository\":\"" + repo.url() + "\",\"git_branch\":\"main\",\"build_config\":"
                + buildConfig + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestHub.json(r).get("id").asText();
    }

    static JsonNode await(TestHub hub, String serviceId, String sha) {
        Await.until(() -> {
            JsonNode d = DeploymentCancelAndTimeoutTest.deployment(hub, serviceId, sha);
            return d != null && !d.get("finished_at").isNull();
        }, WAIT, "the deployment of " + sha);
        return DeploymentCancelAndTimeoutTest.deployment(hub, serviceId, sha);
    }

    static String logs(TestHub hub, String serviceId, JsonNode d) {
        return hub.admin("GET", "/api/containers/services/" + serviceId + "/deployments/" + d.get("id").asText()
                + "/logs", null).body();
    }
}
