package dev.webhookhub.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.pipelines.RunReport;
import dev.webhookhub.support.TestHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Jenkins job names, both webhook formats, remote-API builds and the webhook token, against the samples. */
class JenkinsParsingTest {

    static JsonNode sample(String path) throws Exception {
        return TestHub.MAPPER.readTree(Files.readAllBytes(TestHub.samples().resolve(path)));
    }

    @Test
    void jobNamesComeFromTheUrlFoldersIncluded() {
        assertThat(JenkinsJobNames.fromUrl("http://jenkins:8080/job/Deploy_Webservice/1/"))
                .isEqualTo("Deploy_Webservice");
        assertThat(JenkinsJobNames.fromUrl("https://ci.example/jenkins/job/a/job/b/42/")).isEqualTo("a/b");
        assertThat(JenkinsJobNames.fromUrl("job/asgard/18/")).isEqualTo("asgard");
        assertThat(JenkinsJobNames.fromUrl("http://j/job/my%20job/job/feature%252Fx/3/")).isEqualTo("my job/feature%2Fx");
        assertThat(JenkinsJobNames.fromUrl("http://j/view/all/")).isNull();
        assertThat(JenkinsJobNames.fromUrl(null)).isNull();
    }

    @Test
    void notificationPluginSample() throws Exception {
        RunReport r = JenkinsNotifications.parse(sample("jenkins/notification.build_completed.json"));
        assertThat(r.source()).isEqualTo("jenkins");
        assertThat(r.job()).isEqualTo("asgard");
        assertThat(r.number()).isEqualTo("18");
        assertThat(r.status()).isEqualTo("success");
        assertThat(r.branch()).isEqualTo("master");
        assertThat(r.commitSha()).isEqualTo("c6d86dc654b12425e706bcf951adfe5a8627a517");
        assertThat(r.url()).isEqualTo("http://localhost:8080/job/asgard/18/");
    }

    @Test
    void productDocumentFormat() throws Exception {
        RunReport r = JenkinsNotifications.parse(TestHub.MAPPER.readTree("{\"build\":{\"full_url\":"
                + "\"http://jenkins:8080/job/Deploy_Webservice/1/\",\"number\":1,\"status\":\"SUCCESS\","
                + "\"timestamp\":1692800000000,\"duration\":5000}}"));
        assertThat(r.job()).isEqualTo("Deploy_Webservice");
        assertThat(r.number()).isEqualTo("1");
        assertThat(r.status()).isEqualTo("success");
        assertThat(r.startedAt()).isEqualTo(Instant.ofEpochMilli(1692800000000L));
        assertThat(r.durationMs()).isEqualTo(5000L);
        assertThatThrownBy(() -> JenkinsNotifications.parse(TestHub.MAPPER.readTree("{\"build\":{\"number\":1}}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("job");
        assertThatThrownBy(() -> JenkinsNotifications.parse(TestHub.MAPPER.readTree("{}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("build");
    }

    @Test
    void remoteApiBuildsFromTheCapturedSample() throws Exception {
        JsonNode raw = sample("jenkins/api_job.depth1.raw.json");
        RunReport five = JenkinsBuilds.toRun("BuildControl_A", raw.get("builds").get(0)).orElseThrow();
        assertThat(five.number()).isEqualTo("5");
        assertThat(five.status()).isEqualTo("success");
        assertThat(five.triggeredBy()).isEqualTo("admin");
        assertThat(five.durationMs()).isEqualTo(5017L);
        assertThat(five.startedAt()).isEqualTo(Instant.ofEpochMilli(1476801392270L));
        JsonNode tree = sample("jenkins/api_job.tree_builds.json");
        RunReport four = JenkinsBuilds.toRun("BuildControl_A", tree.get("builds").get(1)).orElseThrow();
        assertThat(four.status()).isEqualTo("failure");
        assertThat(four.triggeredBy()).isNull();
        assertThat(four.url()).isEqualTo("http://kiki:8080/job/BuildControl_A/4/");
    }

    @Test
    void foldersAreRecognisedByClass() {
        assertThat(JenkinsSync.isFolder("com.cloudbees.hudson.plugins.folder.Folder")).isTrue();
        assertThat(JenkinsSync.isFolder("jenkins.branch.OrganizationFolder")).isTrue();
        assertThat(JenkinsSync.isFolder("org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject"))
                .isTrue();
        assertThat(JenkinsSync.isFolder("hudson.model.FreeStyleProject")).isFalse();
        assertThat(JenkinsSync.isFolder("org.jenkinsci.plugins.workflow.job.WorkflowJob")).isFalse();
    }

    @Test
    void webhookToken() {
        JenkinsWebhookToken none = new JenkinsWebhookToken("");
        assertThat(none.required()).isFalse();
        assertThat(none.accepts(null, null)).isTrue();
        JenkinsWebhookToken token = new JenkinsWebhookToken("s3cret");
        assertThat(token.accepts("s3cret", null)).isTrue();
        assertThat(token.accepts(null, basic("jenkins", "s3cret"))).isTrue();
        assertThat(token.accepts(null, basic("s3cret", "other"))).isFalse();
        assertThat(token.accepts("s3cre", null)).isFalse();
        assertThat(token.accepts(null, null)).isFalse();
        assertThat(token.accepts(null, "Basic !!!")).isFalse();
        assertThat(token.accepts(null, "Bearer s3cret")).isFalse();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
