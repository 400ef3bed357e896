package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's own events reach notification settings end to end: a real push (webhook_received), a Jenkins run that
 * fails (build_failed) and an outbound endpoint answering 410 (endpoint.disabled), each to a local Slack-style
 * receiver through the bus, the notification routing and the outbound engine.
 */
class NotificationSourcesTest {

    @TempDir
    Path dataDir;

    @Test
    void pushesFailedBuildsAndDisabledEndpointsAreNotified() throws Exception {
        try (Receiver slack = Receiver.always(200); Receiver gone = Receiver.always(410);
                TestHub hub = TestHub.start(dataDir, Map.of("hub.outbound.poll-interval-ms", "50",
                        "hub.pipelines.events-interval-ms", "200"))) {
            String service = hub.createService("storefront", "main");
            setting(hub, "{\"service_id\":\"" + service + "\",\"notification_type\":\"slack\","
                    + "\"event_triggers\":[\"webhook_received\"],\"recipients\":[\"" + slack.url() + "?push\"]}");
            setting(hub, "{\"scope\":\"global\",\"notification_type\":\"slack\","
                    + "\"event_triggers\":[\"build_failed\",\"endpoint.disabled\"],\"recipients\":[\"" + slack.url()
                    + "?ops\"]}");

            // a push to the service's branch
            String secret = hub.issueSecret(service, "github");
            String sha = "c0ffee" + "1".repeat(34);
            byte[] push = GitWebhookFlowContract.githubBranchPush("main", sha);
            HttpResponse<String> r = hub.postWebhook("github", service, push, Map.of("Content-Type",
                    "application/json", "X-GitHub-Event", "push", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                    "X-Hub-Signature-256", Signatures.githubSha256(secret, push)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            await(() -> texts(slack).stream().anyMatch(t -> t.contains("Webhook Received")), "push notified");
            String pushText = texts(slack).stream().filter(t -> t.contains("Webhook Received")).findFirst()
                    .orElseThrow();
            assertThat(pushText).contains("storefront").contains(sha.substring(0, 7));

            // a Jenkins build that fails
            String failed = "{\"name\":\"checkout\",\"url\":\"job/checkout/\",\"build\":{\"full_url\":"
                    + "\"http://jenkins.test/job/checkout/9/\",\"number\":9,\"phase\":\"COMPLETED\","
                    + "\"status\":\"FAILURE\",\"url\":\"job/checkout/9/\"}}";
            assertThat(hub.send(HttpRequest.newBuilder(URI.create(hub.url("/api/webhooks/jenkins")))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(failed)))
                    .statusCode()).isEqualTo(202);
            await(() -> texts(slack).stream().anyMatch(t -> t.contains("Build Failed") && t.contains("checkout")),
                    "failed build notified");

            // an outbound endpoint that answers 410 is disabled, and that is notified
            r = hub.admin("POST", "/api/outbound/endpoints", "{\"url\":\"" + gone.url()
                    + "\",\"event_types\":[\"demo.event\"],\"signature_scheme\":\"github\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            hub.context().getRegistry().lookupByNameAndType("outboundPublisher", OutboundPublisher.class)
                    .publish("demo.event", "{\"n\":1}");
            await(() -> texts(slack).stream().anyMatch(t -> t.contains("Endpoint Disabled")
                    && t.contains(gone.url())), "disabled endpoint notified");
        }
    }

    private static void setting(TestHub hub, String json) {
        HttpResponse<String> r = hub.admin("POST", "/api/notifications", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static java.util.List<String> texts(Receiver rx) {
        return rx.requests().stream().map(req -> {
            try {
                JsonNode n = TestHub.MAPPER.readTree(req.body());
                return n.path("text").asText() + "\n" + n.path("blocks").toString();
            } catch (Exception e) {
                return "";
            }
        }).toList();
    }

    private static void await(BooleanSupplier condition, String what) {
        Await.until(condition, Duration.ofSeconds(20), what);
    }
}
