package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookhub.support.Await;
import dev.webhookhub.support.FakeJenkins;
import dev.webhookhub.support.LogCapture;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub is started with a known, distinct value for every credential setting, exercised (admin calls, failed
 * authentication, management, a delivery, the Jenkins poller and webhook, a FoundriesFactory webhook, the results
 * receiver), and no value appears anywhere in the log (every logger, INFO and above: the shipped configuration's
 * level) nor in what Jolokia reads of Camel's MBeans.
 */
class LogSecretsTest {

    @TempDir
    Path dataDir;

    @Test
    void noCredentialAppearsInTheLogOrInJolokia() throws Exception {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("hub.admin-token", "ADMINTOKEN-e7c1a9-never-in-a-log-0123456789");
        secrets.put("hub.secret-key", Base64.getEncoder().encodeToString(
                "SECRETKEY-32-bytes-of-key-matter".getBytes(StandardCharsets.US_ASCII)));
        secrets.put("hub.db.password", "DBPASSWORD-4f1e2d");
        secrets.put("hub.notify.smtp.password", "SMTPPASSWORD-8b7a6c");
        secrets.put("hub.jenkins.api-token", "JENKINSAPITOKEN-5d4c3b");
        secrets.put("hub.jenkins.webhook-token", "JENKINSWEBHOOKTOKEN-2a1b0c");
        secrets.put("hub.foundries.secrets.default", "FOUNDRIESDEFAULT-9e8d7c");
        secrets.put("hub.foundries.secrets.acme", "FOUNDRIESACME-6f5e4d");
        secrets.put("hub.results-receiver.secret", "RESULTSRECEIVER-3c2b1a");
        secrets.put("hub.outbound.pipeline-results-secret", "PIPELINERESULTS-0f9e8d");
        secrets.put("hub.ops.password", "OPSPASSWORD-7a6b5c");
        secrets.put("hub.docker.registry-password", "REGISTRYPASSWORD-4d3e2f");
        secrets.put("hub.git.token", "GITTOKEN-1b2c3d");
        secrets.put("hub.git.ssh-key", "-----BEGIN OPENSSH PRIVATE KEY-----SSHKEYMATTER-5e6f7a");
        secrets.put("hub.git.ssh-key-passphrase", "SSHKEYPASSPHRASE-8b9c0d");
        String wrongToken = "WRONGTOKEN-presented-by-a-client-1234567890";

        try (FakeJenkins jenkins = new FakeJenkins(); Receiver receiver = Receiver.always(200);
                LogCapture log = LogCapture.start(Level.INFO)) {
            Map<String, String> settings = new LinkedHashMap<>(secrets);
            settings.put("hub.jenkins.url", jenkins.url());
            settings.put("hub.jenkins.user", "hub-bot");
            settings.put("hub.jenkins.poll-interval-seconds", "1");
            settings.put("hub.notify.smtp.host", "127.0.0.1");
            settings.put("hub.notify.smtp.port", "1");
            settings.put("hub.notify.smtp.user", "mailer");
            settings.put("hub.outbound.pipeline-results-url", receiver.url());
            settings.put("hub.outbound.pipeline-results-scheme", "github");
            settings.put("hub.results-receiver.scheme", "github");
            settings.put("hub.outbound.allowed-networks", "127.0.0.0/8,::1/128");
            try (TestHub hub = TestHub.start(dataDir, settings)) {
                exercise(hub, jenkins, secrets, wrongToken);
            }
            String all = log.all();
            assertThat(all).as("the start-up summary was captured").contains("Property-placeholders summary")
                    .contains("hub.admin-token").contains("hub.foundries.secrets.acme");
            assertThat(all).as("the failed authentication was logged").contains("failed authentication");
            for (Map.Entry<String, String> s : secrets.entrySet()) {
                assertThat(all).as(s.getKey() + " in the log").doesNotContain(s.getValue());
            }
            assertThat(all).as("the presented wrong token").doesNotContain(wrongToken);
        }
    }

    private static void exercise(TestHub hub, FakeJenkins jenkins, Map<String, String> secrets, String wrongToken) throws Exception {
        String service = hub.createService("log-secrets", "main");
        String githubSecret = hub.issueSecret(service, "github");
        assertThat(hub.admin("GET", "/api/containers/services", null).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = hub.send(HttpRequest.newBuilder(URI.create(hub.url("/api/containers/services")))
                .header("Authorization", "Bearer " + wrongToken).GET());
        assertThat(refused.statusCode()).isEqualTo(401);
        HttpResponse<String> refusedOps = hub.send(HttpRequest.newBuilder(URI.create(hub.url("/observe/health")))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("operator:" + wrongToken).getBytes(StandardCharsets.UTF_8))).GET());
        assertThat(refusedOps.statusCode()).isEqualTo(401);
        HttpResponse<String> ops = hub.send(HttpRequest.newBuilder(URI.create(hub.url("/observe/health")))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("operator:" + secrets.get("hub.ops.password")).getBytes(StandardCharsets.UTF_8))).GET());
        assertThat(ops.statusCode()).isEqualTo(200);

        byte[] push = ("{\"ref\":\"refs/heads/main\",\"after\":\"0123456789abcdef0123456789abcdef01234567\","
                + "\"repository\":{\"full_name\":\"acme/log-secrets\"}}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> delivery = hub.postWebhook("github", service, push, Map.of("Content-Type",
                "application/json", "X-GitHub-Event", "push", "X-GitHub-Delivery", "log-secrets-1",
                "X-Hub-Signature-256", Signatures.githubSha256(githubSecret, push)));
        assertThat(delivery.statusCode()).as(delivery.body()).isEqualTo(202);

        String jenkinsBody = "{\"build\":{\"full_url\":\"http://jenkins:8080/job/Deploy/1/\",\"number\":1,"
                + "\"status\":\"SUCCESS\",\"timestamp\":1692800000000,\"duration\":5000}}";
        HttpResponse<String> jenkinsHook = hub.send(HttpRequest.newBuilder(URI.create(hub.url(
                "/api/webhooks/jenkins?token=" + secrets.get("hub.jenkins.webhook-token"))))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jenkinsBody)));
        assertThat(jenkinsHook.statusCode()).as(jenkinsHook.body()).isEqualTo(202);
        HttpResponse<String> badJenkins = hub.send(HttpRequest.newBuilder(URI.create(hub.url(
                "/api/webhooks/jenkins?token=" + wrongToken))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jenkinsBody)));
        assertThat(badJenkins.statusCode()).isEqualTo(401);

        byte[] results = "{\"pipeline_id\":\"p-1\",\"status\":\"success\"}".getBytes(StandardCharsets.UTF_8);
        hub.send(HttpRequest.newBuilder(URI.create(hub.url("/webhook/results")))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", Signatures.githubSha256("not-the-secret", results))
                .POST(HttpRequest.BodyPublishers.ofByteArray(results)));

        // what operators read through Jolokia holds no credential either
        HttpResponse<String> camel = hub.admin("POST", "/observe/jolokia",
                "{\"type\":\"read\",\"mbean\":\"org.apache.camel:*\"}");
        assertThat(json(camel).get("status").asInt()).as(camel.body()).isEqualTo(200);
        for (Map.Entry<String, String> s : secrets.entrySet()) {
            assertThat(camel.body()).as(s.getKey() + " in Jolokia's read of org.apache.camel").doesNotContain(s.getValue());
        }
        // the Jenkins poller has run against the fake Jenkins with the API token
        Await.until(() -> !jenkins.requests().isEmpty(), Duration.ofSeconds(10), "a Jenkins poll");
    }
}
