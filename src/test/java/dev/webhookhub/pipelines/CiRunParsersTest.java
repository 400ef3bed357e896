package dev.webhookhub.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.support.TestHub;
import java.nio.file.Files;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The published GitHub, GitLab, Azure DevOps and JobServ samples as runs. */
class CiRunParsersTest {

    static JsonNode sample(String path) throws Exception {
        return TestHub.MAPPER.readTree(Files.readAllBytes(TestHub.samples().resolve(path)));
    }

    @Test
    void githubWorkflowRunAndReRun() throws Exception {
        JsonNode p = sample("github/workflow_run.completed.json");
        RunReport r = GitHubRuns.workflowRun(p).orElseThrow();
        assertThat(r.source()).isEqualTo("github");
        assertThat(r.job()).isEqualTo("octo-org/octo-repo/test");
        assertThat(r.number()).isEqualTo("163");
        assertThat(r.status()).isEqualTo("success");
        assertThat(r.triggeredBy()).isEqualTo("Codertocat");
        assertThat(r.startedAt()).isEqualTo(Instant.parse("2020-10-05T16:33:49Z"));
        ((ObjectNode) p.get("workflow_run")).put("run_attempt", 2).put("status", "in_progress").putNull("conclusion");
        RunReport again = GitHubRuns.workflowRun(p).orElseThrow();
        assertThat(again.number()).isEqualTo("163.2");
        assertThat(again.status()).isEqualTo("running");
        assertThat(again.durationMs()).isNull();
        assertThat(GitHubRuns.workflowRun(TestHub.MAPPER.createObjectNode())).isEmpty();
    }

    @Test
    void githubCheckRun() throws Exception {
        RunReport r = GitHubRuns.checkRun(sample("github/check_run.completed.json")).orElseThrow();
        assertThat(r.job()).isEqualTo("Codertocat/Hello-World/Octocoders-linter");
        assertThat(r.number()).isEqualTo("128620228");
        assertThat(r.status()).isEqualTo("success");
        assertThat(r.durationMs()).isZero();
    }

    @Test
    void gitlabPipelineAndJob() throws Exception {
        RunReport p = GitLabRuns.pipeline(sample("gitlab/pipeline_hook.json")).orElseThrow();
        assertThat(p.job()).isEqualTo("gitlab-org/gitlab-test");
        assertThat(p.number()).isEqualTo("31");
        assertThat(p.status()).isEqualTo("success");
        assertThat(p.startedAt()).isEqualTo(Instant.parse("2016-08-12T15:23:28Z"));
        assertThat(p.durationMs()).isEqualTo(63_000L);
        assertThat(p.triggeredBy()).isEqualTo("root");
        assertThat(p.stagesJson()).startsWith("[");
        RunReport j = GitLabRuns.job(sample("gitlab/job_hook.json")).orElseThrow();
        assertThat(j.job()).isEqualTo("gitlab-org/gitlab-test/test");
        assertThat(j.number()).isEqualTo("1977");
        assertThat(j.status()).isEqualTo("queued");
        assertThat(j.triggeredBy()).isEqualTo("User");
        assertThat(j.branch()).isEqualTo("gitlab-script-trigger");
    }

    @Test
    void azureBuildComplete() throws Exception {
        RunReport r = AzureDevOpsRuns.buildComplete(sample("azure-devops/build.complete.json")).orElseThrow();
        assertThat(r.source()).isEqualTo("azure-devops");
        assertThat(r.job()).isEqualTo("ConsumerAddressModule");
        assertThat(r.number()).isEqualTo("ConsumerAddressModule_20150407.1");
        assertThat(r.status()).isEqualTo("success");
        assertThat(r.branch()).isEqualTo("master");
        assertThat(r.commitSha()).isEqualTo("600c52d2d5b655caa111abfd863e5a9bd304bb0e");
        assertThat(r.durationMs()).isEqualTo(123_860L);
        assertThat(r.triggeredBy()).isEqualTo("Normal Paulk");
    }

    @Test
    void foundriesBuild() throws Exception {
        RunReport r = FoundriesRuns.build(sample("jobserv/build_complete.json"), "default").orElseThrow();
        assertThat(r.job()).isEqualTo("git-poller");
        assertThat(r.number()).isEqualTo("123");
        assertThat(r.status()).isEqualTo("success");
        assertThat(r.durationMs()).isEqualTo(300_000L);
        assertThat(TestHub.MAPPER.readTree(r.stagesJson()).get(0).get("name").asText()).isEqualTo("build-amd64");
        assertThat(FoundriesRuns.build(TestHub.MAPPER.readTree("{\"status\":\"PASSED\"}"), "x")).isEmpty();
    }

    @Test
    void foundriesSignatureVector() throws Exception {
        byte[] body = Files.readAllBytes(TestHub.samples().resolve("jobserv/build_complete.json"));
        FoundriesWebhookVerifier.verify(
                "sha256:deb6a30578e1ed0458fa1b932b757a1f8b5acfec63d6cb24f81364517e22f033", "secret_value", body);
        FoundriesWebhookVerifier.verify("sha256:276cd186597c69031a484c63b235af2ba205fce7a0c1812b6a549c658110688b",
                "secret_value", "{\"build_id\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FoundriesWebhookVerifier.verify(
                "sha256=deb6a30578e1ed0458fa1b932b757a1f8b5acfec63d6cb24f81364517e22f033", "secret_value", body))
                .hasMessageContaining("sha256:");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FoundriesWebhookVerifier.verify(
                "sha256:deb6a30578e1ed0458fa1b932b757a1f8b5acfec63d6cb24f81364517e22f034", "secret_value", body))
                .hasMessageContaining("does not match");
    }

    @Test
    void timestampStyles() {
        assertThat(JsonFields.instant("2024-05-01T10:00:00+00:00")).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(JsonFields.instant("2016-08-12 15:23:28 UTC")).isEqualTo(Instant.parse("2016-08-12T15:23:28Z"));
        assertThat(JsonFields.instant("2016-08-12 15:23:28 +0200")).isEqualTo(Instant.parse("2016-08-12T13:23:28Z"));
        assertThat(JsonFields.instant("2015-04-07T18:04:06.83Z")).isEqualTo(Instant.parse("2015-04-07T18:04:06.830Z"));
        assertThat(JsonFields.instant("yesterday")).isNull();
    }
}
