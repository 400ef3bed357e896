package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without JENKINS_URL the poller route does not start, sync-now says why, and the Jenkins webhook still works. */
class JenkinsNotConfiguredTest {

    @TempDir
    Path dataDir;

    @Test
    void thePollerIsOffAndTheWebhookNeedsNoToken() {
        try (TestHub hub = TestHub.start(dataDir, Map.of())) {
            assertThat(hub.context().getRouteController().getRouteStatus("jenkins-poller"))
                    .isEqualTo(ServiceStatus.Stopped);
            HttpResponse<String> sync = hub.admin("POST", "/api/jenkins/sync-now", null);
            GitWebhookFlowContract.assertJsonError(sync, 409, "jenkins_not_configured");
            assertThat(json(sync).get("error").asText()).contains("JENKINS_URL");

            HttpResponse<String> health = hub.admin("GET", "/observe/health", null);
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);

            HttpResponse<String> r = hub.send(HttpRequest.newBuilder(URI.create(hub.url("/api/webhooks/jenkins")))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"build\":{\"full_url\":\"http://jenkins:8080/job/Deploy_Webservice/1/\",\"number\":1,"
                                    + "\"status\":\"SUCCESS\",\"timestamp\":1692800000000,\"duration\":5000}}")));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            {
                var run = json(hub.admin("GET", "/api/pipeline-runs/" + json(r).get("runId").asText(), null));
                assertThat(run.get("triggered_by").asText()).isEqualTo("jenkins");
                assertThat(run.get("job").asText()).isEqualTo("Deploy_Webservice");
            }
        }
    }
}
