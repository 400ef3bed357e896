package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.deliveries.DeliveryEvent;
import dev.webhookhub.store.StoredPayload;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The Git receivers end to end over real sockets against the real hub (routes/ and config/), with the providers'
 * published payloads signed in the test. Subclasses choose the store (H2 or PostgreSQL).
 */
abstract class GitWebhookFlowContract {

    protected static TestHub hub;
    /** Whether the hub keeps accepted bodies in body files (embedded mode's default) rather than in its store. */
    protected static boolean bodyFiles;

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
            hub = null;
        }
    }

    static byte[] sample(String path) throws Exception {
        return Files.readAllBytes(TestHub.samples().resolve(path));
    }

    /** GitHub's published push sample is a tag deletion; this turns it into a push to {@code branch}. */
    static byte[] githubBranchPush(String branch, String sha) throws Exception {
        ObjectNode p = (ObjectNode) TestHub.MAPPER.readTree(sample("github/push.json"));
        p.put("ref", "refs/heads/" + branch);
        p.put("after", sha);
        p.put("deleted", false);
        p.put("created", false);
        ObjectNode head = p.putObject("head_commit");
        head.put("id", sha);
        head.put("message", "Fix the flux capacitor");
        head.putObject("author").put("name", "Octo Cat").put("email", "octo@example.test");
        return TestHub.MAPPER.writeValueAsBytes(p);
    }

    static Map<String, String> githubHeaders(String secret, byte[] body, String event, String deliveryId) {
        Map<String, String> h = new HashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-GitHub-Event", event);
        h.put("X-GitHub-Delivery", deliveryId);
        h.put("X-Hub-Signature-256", Signatures.githubSha256(secret, body));
        h.put("User-Agent", "GitHub-Hookshot/test");
        return h;
    }

    static void assertJsonError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        JsonNode body = json(r);
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("error").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    static JsonNode deployments(String serviceId) {
        HttpResponse<String> r = hub.admin("GET", "/api/containers/services/" + serviceId + "/deployments", null);
        assertThat(r.statusCode()).isEqualTo(200);
        return json(r);
    }

    static JsonNode awaitDeployments(String serviceId, int count) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(15);
        JsonNode d = deployments(serviceId);
        while (d.get("total").asInt() < count && Instant.now().isBefore(end)) {
            Thread.sleep(50);
            d = deployments(serviceId);
        }
        assertThat(d.get("total").asInt()).as(d.toString()).isEqualTo(count);
        return d;
    }

    static Map<String, Object> deliveryRow(String id) throws Exception {
        try (Connection c = hub.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM webhook_deliveries WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("delivery row " + id).isTrue();
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof java.sql.Blob b) {
                        v = b.getBytes(1, (int) b.length());
                    } else if (v instanceof java.sql.Clob cl) {
                        v = cl.getSubString(1, (int) cl.length());
                    }
                    row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), v);
                }
                return row;
            }
        }
    }

    static byte[] storedPayload(String deliveryId) {
        return hub.payloads().body(deliveryId).orElseThrow(() -> new AssertionError("no payload of " + deliveryId));
    }

    /** How the body is stored: its encoding, in the payload table or (embedded mode) in a body file. */
    static String storedEncoding(String deliveryId) throws Exception {
        try (Connection c = hub.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(p.encoding, d.body_encoding) FROM webhook_deliveries d "
                        + "LEFT JOIN webhook_delivery_payloads p ON p.delivery_id = d.id WHERE d.id = ?")) {
            ps.setString(1, deliveryId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("delivery " + deliveryId).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** Where the body is: "file" (a body file the row points into), "table" (a payload row), or "none". */
    static String storedIn(String deliveryId) throws Exception {
        try (Connection c = hub.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT d.body_file IS NOT NULL, p.delivery_id IS NOT NULL FROM webhook_deliveries d "
                        + "LEFT JOIN webhook_delivery_payloads p ON p.delivery_id = d.id WHERE d.id = ?")) {
            ps.setString(1, deliveryId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("delivery " + deliveryId).isTrue();
                assertThat(rs.getBoolean(1) && rs.getBoolean(2)).as("one place only").isFalse();
                return rs.getBoolean(1) ? "file" : rs.getBoolean(2) ? "table" : "none";
            }
        }
    }

    static List<Map<String, Object>> deliveriesOf(String serviceId) throws Exception {
        JsonNode items = json(hub.admin("GET", "/api/containers/services/" + serviceId + "/deliveries?limit=1000",
                null)).get("items");
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode i : items) {
            out.add(deliveryRow(i.get("id").asText()));
        }
        return out;
    }

    static void awaitStatus(String deliveryId, String status) throws Exception {
        Instant end = Instant.now().plusSeconds(15);
        while (!status.equals(deliveryRow(deliveryId).get("status")) && Instant.now().isBefore(end)) {
            Thread.sleep(50);
        }
        assertThat(deliveryRow(deliveryId).get("status")).isEqualTo(status);
    }

    @Test
    void githubPushToTheServiceBranchIsStoredQueuedAndBecomesAPendingDeployment() throws Exception {
        String service = hub.createService("gh-push", "main");
        String secret = hub.issueSecret(service, "github");
        byte[] body = githubBranchPush("main", "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c");

        HttpResponse<String> r = hub.postWebhook("github", service, body,
                githubHeaders(secret, body, "push", "72d3162e-cc78-11e3-81ab-4c9367dc0958"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode answer = json(r);
        assertThat(answer.get("status").asText()).isEqualTo("accepted");
        String deliveryId = answer.get("deliveryId").asText();
        JsonNode d = awaitDeployments(service, 1).get("items").get(0);
        assertThat(d.get("status").asText()).isEqualTo("pending");
        assertThat(d.get("commit_sha").asText()).isEqualTo("0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c");
        assertThat(d.get("branch").asText()).isEqualTo("main");
        assertThat(d.get("commit_message").asText()).isEqualTo("Fix the flux capacitor");
        assertThat(d.get("author").asText()).isEqualTo("Octo Cat");
        assertThat(d.get("repository_url").asText()).isEqualTo("https://github.com/Codertocat/Hello-World");
        assertThat(d.get("compare_url").asText()).startsWith("https://github.com/Codertocat/Hello-World/compare/");
        assertThat(d.get("delivery_id").asText()).isEqualTo(deliveryId);

        awaitStatus(deliveryId, "processed");
        Map<String, Object> row = deliveryRow(deliveryId);
        assertThat(row.get("provider")).isEqualTo("github");
        assertThat(row.get("delivery_id")).isEqualTo("72d3162e-cc78-11e3-81ab-4c9367dc0958");
        assertThat(row.get("event_type")).isEqualTo("push");
        assertThat(row.get("signature_valid")).isEqualTo(true);
        assertThat(((Number) row.get("response_code")).intValue()).isEqualTo(202);
        assertThat(storedPayload(deliveryId)).isEqualTo(body);
        assertThat(storedEncoding(deliveryId)).as("kept compressed (HUB_INBOX_COMPRESS_PAYLOADS=true here)")
                .isEqualTo(StoredPayload.LZ4);
        assertThat(storedIn(deliveryId)).isEqualTo(bodyFiles ? "file" : "table");
        assertThat(row.get("processing_time_ms")).isNotNull();
        String headers = (String) row.get("headers");
        assertThat(headers).contains("[redacted]").doesNotContain(Signatures.githubSha256(secret, body));
        JsonNode event = TestHub.MAPPER.readTree((String) row.get("event"));
        assertThat(event.get("type").asText()).isEqualTo("git.push");
        assertThat(event.get("id").asText()).isEqualTo(deliveryId);
        assertThat(event.get("source").asText()).isEqualTo("/api/containers/webhooks/github/" + service);
        assertThat(event.get("subject").asText()).isEqualTo("gh-push@main");
        assertThat(event.get("data").get("commitSha").asText()).isEqualTo("0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c");
    }

    /**
     * The receiver reads the request's headers itself (ReceiverHeaderFilter): none is copied into the message, so the
     * exchange queued for the worker carries no signature, token or other request header, only the path parameters.
     */
    @Test
    void theQueuedExchangeCarriesNoRequestHeaders() throws Exception {
        String service = hub.createService("gh-headers", "main");
        String secret = hub.issueSecret(service, "github");
        byte[] body = githubBranchPush("main", "9d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c");
        SedaEndpoint queue = hub.context().getEndpoint("seda:git-events", SedaEndpoint.class);
        // the worker stopped, the delivery waits in the queue where the test can read it
        hub.context().getRouteController().stopRoute("git-event-worker");
        try {
            HttpResponse<String> r = hub.postWebhook("github", service, body,
                    githubHeaders(secret, body, "push", UUID.randomUUID().toString()));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            String deliveryId = json(r).get("deliveryId").asText();
            List<Exchange> queued = queue.getExchanges().stream()
                    .filter(e -> deliveryId.equals(DeliveryEvent.of(e.getIn().getBody()).id())).toList();
            // the receiver's exchange (with the path parameters), and possibly recovery's copy of the waiting delivery
            assertThat(queued).isNotEmpty().anySatisfy(e -> assertThat(e.getIn().getHeaders())
                    .containsEntry("provider", "github").containsEntry("serviceId", service));
            assertThat(queued).allSatisfy(e -> {
                assertThat(e.getIn().getHeaders()).doesNotContainKeys("X-Hub-Signature-256", "X-GitHub-Event",
                        "X-GitHub-Delivery", "User-Agent", "Content-Type");
                assertThat(e.getIn().getHeaders().values()).noneMatch(v -> String.valueOf(v).contains("sha256="));
            });
        } finally {
            hub.context().getRouteController().startRoute("git-event-worker");
        }
        awaitDeployments(service, 1);
    }

    @Test
    void githubFormEncodedDeliveryIsVerifiedOverTheRawFormBody() throws Exception {
        String service = hub.createService("gh-form", "main");
        String secret = hub.issueSecret(service, "github");
        byte[] json = githubBranchPush("main", "1111111111111111111111111111111111111111");
        byte[] form = ("payload=" + URLEncoder.encode(new String(json, StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII);
        Map<String, String> h = githubHeaders(secret, form, "push", UUID.randomUUID().toString());
        h.put("Content-Type", "application/x-www-form-urlencoded");

        HttpResponse<String> r = hub.postWebhook("github", service, form, h);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.headers().firstValue("payload")).isEmpty();
        assertThat(awaitDeployments(service, 1).get("items").get(0).get("commit_sha").asText())
                .isEqualTo("1111111111111111111111111111111111111111");
    }

    @Test
    void githubPingAnswers200AndStartsNothing() throws Exception {
        String service = hub.createService("gh-ping", "main");
        String secret = hub.issueSecret(service, "github");
        byte[] body = sample("github/ping.json");

        HttpResponse<String> r = hub.postWebhook("github", service, body,
                githubHeaders(secret, body, "ping", UUID.randomUUID().toString()));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("status").asText()).isEqualTo("ping");
        Thread.sleep(300);
        assertThat(deployments(service).get("total").asInt()).isZero();
        assertThat(deliveriesOf(service)).singleElement()
                .satisfies(row -> assertThat(row.get("event_type")).isEqualTo("ping"));
    }

    @Test
    void tagPushesBranchDeletionsAndOtherBranchesAreIgnoredButRecorded() throws Exception {
        String service = hub.createService("gh-ignored", "main");
        String secret = hub.issueSecret(service, "github");
        byte[] tagDeletion = sample("github/push.json");
        byte[] otherBranch = githubBranchPush("feature/x", "2222222222222222222222222222222222222222");

        HttpResponse<String> tag = hub.postWebhook("github", service, tagDeletion,
                githubHeaders(secret, tagDeletion, "push", UUID.randomUUID().toString()));
        HttpResponse<String> other = hub.postWebhook("github", service, otherBranch,
                githubHeaders(secret, otherBranch, "push", UUID.randomUUID().toString()));

        assertThat(tag.statusCode()).isEqualTo(202);
        assertThat(json(tag).get("status").asText()).isEqualTo("ignored");
        assertThat(json(tag).get("message").asText()).contains("tag");
        assertThat(other.statusCode()).isEqualTo(202);
        assertThat(json(other).get("status").asText()).isEqualTo("ignored");
        assertThat(json(other).get("message").asText()).contains("feature/x");
        Thread.sleep(300);
        assertThat(deployments(service).get("total").asInt()).isZero();
        assertThat(deliveriesOf(service)).hasSize(2).allSatisfy(row -> assertThat(row.get("status"))
                .isEqualTo("ignored"));
    }

    @Test
    void gitlabPushWithSecretTokenBecomesADeployment() throws Exception {
        String service = hub.createService("gl-push", "master");
        String secret = hub.issueSecret(service, "gitlab");
        assertThat(secret).startsWith("whsec_");
        byte[] body = sample("gitlab/push_hook.json");
        Map<String, String> h = Map.of("Content-Type", "application/json", "X-Gitlab-Event", "Push Hook",
                "X-Gitlab-Token", secret, "X-Gitlab-Event-UUID", UUID.randomUUID().toString());

        HttpResponse<String> r = hub.postWebhook("gitlab", service, body, h);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode d = awaitDeployments(service, 1).get("items").get(0);
        assertThat(d.get("commit_sha").asText()).isEqualTo("da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
        assertThat(d.get("branch").asText()).isEqualTo("master");
        assertThat(d.get("author").asText()).isEqualTo("GitLab dev user");
        String stored = (String) deliveryRow(json(r).get("deliveryId").asText()).get("headers");
        assertThat(stored).doesNotContain(secret);
    }

    @Test
    void gitlabTagPushIsIgnoredAndWrongTokenIsRefused() throws Exception {
        String service = hub.createService("gl-tag", "master");
        String secret = hub.issueSecret(service, "gitlab");
        byte[] body = sample("gitlab/tag_push_hook.json");

        HttpResponse<String> tag = hub.postWebhook("gitlab", service, body, Map.of("Content-Type",
                "application/json", "X-Gitlab-Event", "Tag Push Hook", "X-Gitlab-Token", secret,
                "Idempotency-Key", UUID.randomUUID().toString()));
        HttpResponse<String> wrong = hub.postWebhook("gitlab", service, body, Map.of("Content-Type",
                "application/json", "X-Gitlab-Event", "Tag Push Hook", "X-Gitlab-Token", secret + "x",
                "Idempotency-Key", UUID.randomUUID().toString()));

        assertThat(json(tag).get("status").asText()).isEqualTo("ignored");
        assertJsonError(wrong, 401, "invalid_token");
    }

    @Test
    void gitlabStandardWebhooksSignatureIsAcceptedWithinTolerance() throws Exception {
        String service = hub.createService("gl-signed", "master");
        String secret = hub.issueSecret(service, "gitlab");
        byte[] body = sample("gitlab/push_hook.json");
        String id = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();

        HttpResponse<String> ok = hub.postWebhook("gitlab", service, body, Map.of("Content-Type", "application/json",
                "X-Gitlab-Event", "Push Hook", "webhook-id", id, "webhook-timestamp", String.valueOf(now),
                "webhook-signature", Signatures.standardWebhooks(secret, id, now, body)));
        long stale = now - 600;
        String staleId = "msg_" + UUID.randomUUID();
        HttpResponse<String> old = hub.postWebhook("gitlab", service, body, Map.of("Content-Type",
                "application/json", "X-Gitlab-Event", "Push Hook", "webhook-id", staleId, "webhook-timestamp",
                String.valueOf(stale), "webhook-signature", Signatures.standardWebhooks(secret, staleId, stale, body)));

        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
        assertThat(json(ok).get("providerDeliveryId").asText()).isEqualTo(id);
        assertJsonError(old, 401, "timestamp_out_of_tolerance");
    }

    @Test
    void bitbucketCloudAndDataCenterSamplesAreVerifiedAndClassified() throws Exception {
        String service = hub.createService("bb", "feature/webhook");
        String secret = hub.issueSecret(service, "bitbucket");
        byte[] cloud = sample("bitbucket/repo_push.json");
        byte[] dc = sample("bitbucket-server/repo_refs_changed.json");

        HttpResponse<String> push = hub.postWebhook("bitbucket", service, cloud, Map.of("Content-Type",
                "application/json", "X-Event-Key", "repo:push", "X-Request-UUID", UUID.randomUUID().toString(),
                "X-Hub-Signature", Signatures.githubSha256(secret, cloud)));
        HttpResponse<String> delete = hub.postWebhook("bitbucket", service, dc, Map.of("Content-Type",
                "application/json; charset=utf-8", "X-Event-Key", "repo:refs_changed", "X-Request-Id",
                "2b15f131-4d3a-436e-bc63-caa9ae92580d", "X-Hub-Signature", Signatures.githubSha256(secret, dc)));

        assertThat(push.statusCode()).as(push.body()).isEqualTo(202);
        assertThat(json(push).get("status").asText()).isEqualTo("accepted");
        assertThat(delete.statusCode()).as(delete.body()).isEqualTo(202);
        assertThat(json(delete).get("status").asText()).isEqualTo("ignored");
        assertThat(json(delete).get("providerDeliveryId").asText()).isEqualTo("2b15f131-4d3a-436e-bc63-caa9ae92580d");
        JsonNode d = awaitDeployments(service, 1).get("items").get(0);
        assertThat(d.get("commit_sha").asText()).isEqualTo("d7f300a32270053bdfd97a6d64113f58202c33e7");
        assertThat(d.get("author").asText()).isEqualTo("Nikolas Falco");
        assertThat(d.get("repository_url").asText()).isEqualTo("https://bitbucket.org/nfalco79/test-repos");
    }

    @Test
    void everyErrorIsAClearJsonAnswerAndIsRecordedAsRejected() throws Exception {
        String service = hub.createService("errors", "main");
        String secret = hub.issueSecret(service, "github");
        byte[] body = githubBranchPush("main", "3333333333333333333333333333333333333333");

        Map<String, String> unsigned = githubHeaders(secret, body, "push", UUID.randomUUID().toString());
        unsigned.remove("X-Hub-Signature-256");
        assertJsonError(hub.postWebhook("github", service, body, unsigned), 401, "missing_signature");

        Map<String, String> badSig = githubHeaders(secret + "x", body, "push", UUID.randomUUID().toString());
        assertJsonError(hub.postWebhook("github", service, body, badSig), 401, "invalid_signature");

        assertJsonError(hub.postWebhook("github", "no-such-service", body,
                githubHeaders(secret, body, "push", UUID.randomUUID().toString())), 404, "unknown_service");
        assertJsonError(hub.postWebhook("gitea", service, body,
                githubHeaders(secret, body, "push", UUID.randomUUID().toString())), 404, "unknown_provider");

        byte[] broken = "{\"ref\": \"refs/heads/main\",".getBytes(StandardCharsets.UTF_8);
        assertJsonError(hub.postWebhook("github", service, broken,
                githubHeaders(secret, broken, "push", UUID.randomUUID().toString())), 400, "malformed_json");

        Map<String, String> noEvent = githubHeaders(secret, body, "push", UUID.randomUUID().toString());
        noEvent.remove("X-GitHub-Event");
        assertJsonError(hub.postWebhook("github", service, body, noEvent), 400, "missing_header");

        Map<String, String> noDelivery = githubHeaders(secret, body, "push", "x");
        noDelivery.remove("X-GitHub-Delivery");
        assertJsonError(hub.postWebhook("github", service, body, noDelivery), 400, "missing_header");

        Map<String, String> textPlain = githubHeaders(secret, body, "push", UUID.randomUUID().toString());
        textPlain.put("Content-Type", "text/plain");
        assertJsonError(hub.postWebhook("github", service, body, textPlain), 415, "unsupported_media_type");

        byte[] huge = new byte[(int) MAX_BODY + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertJsonError(hub.postWebhook("github", service, huge,
                githubHeaders(secret, huge, "push", UUID.randomUUID().toString())), 413, "payload_too_large");

        // rejected deliveries are recorded after their answers (best effort, not awaited)
        Await.untilAsserted(Duration.ofSeconds(10), () -> assertThat(deliveriesOf(service)).hasSize(8));
        List<Map<String, Object>> rows = deliveriesOf(service);
        assertThat(rows).allSatisfy(row -> assertThat(row.get("status")).isEqualTo("rejected"));
        // refused bodies (a prefix) stay in the store, whose retention of refused deliveries is shorter
        for (Map<String, Object> row : rows) {
            assertThat(storedIn((String) row.get("id"))).isIn("table", "none");
        }
        assertThat(rows).extracting(row -> ((Number) row.get("response_code")).intValue())
                .containsExactlyInAnyOrder(401, 401, 400, 400, 400, 415, 413, 404)
                .doesNotContain(500);
        assertThat(deployments(service).get("total").asInt()).isZero();
    }

    @Test
    void textThatDoesNotFitTheStoreIsFittedOrRefusedNeverAServerError() throws Exception {
        String service = hub.createService("fit", "main");
        String secret = hub.issueSecret(service, "github");
        ObjectNode push = (ObjectNode) TestHub.MAPPER.readTree(githubBranchPush("main", "4".repeat(40)));
        String author = "A".repeat(300);
        ObjectNode head = (ObjectNode) push.get("head_commit");
        head.put("message", "fix\u0000it");
        head.putObject("author").put("name", author).put("email", "a@example.test");
        byte[] body = TestHub.MAPPER.writeValueAsBytes(push);

        HttpResponse<String> r = hub.postWebhook("github", service, body,
                githubHeaders(secret, body, "push", UUID.randomUUID().toString()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode d = awaitDeployments(service, 1).get("items").get(0);
        assertThat(d.get("author").asText()).isEqualTo(author.substring(0, 255));
        assertThat(d.get("commit_message").asText()).isEqualTo("fix\uFFFDit");
        awaitStatus(json(r).get("deliveryId").asText(), "processed");
        assertThat(storedPayload(json(r).get("deliveryId").asText())).isEqualTo(body);

        // a path nobody should send: the refusal is still a delivery-log row, cut to the columns
        String provider = "p".repeat(40);
        assertJsonError(hub.postWebhook(provider, service, body,
                githubHeaders(secret, body, "push", UUID.randomUUID().toString())), 404, "unknown_provider");
        String longService = "s".repeat(150);
        assertJsonError(hub.postWebhook("github", longService, body,
                githubHeaders(secret, body, "push", UUID.randomUUID().toString())), 404, "unknown_service");
        byte[] multipart = "--zz\r\nContent-Disposition: form-data; name=\"payload\"\r\n\r\n{}\r\n--zz--\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        Map<String, String> mh = githubHeaders(secret, multipart, "push", UUID.randomUUID().toString());
        mh.put("Content-Type", "multipart/form-data; boundary=zz");
        assertJsonError(hub.postWebhook("github", service, multipart, mh), 415, "unsupported_media_type");

        Thread.sleep(500);
        List<Map<String, Object>> rows = deliveriesOf(service);
        assertThat(rows).filteredOn(row -> "rejected".equals(row.get("status")))
                .extracting(row -> row.get("provider") + " " + row.get("response_code"))
                .containsExactlyInAnyOrder("p".repeat(32) + " 404", "github 415");
        // a service that does not exist has nothing to attach a row to: counted in the metrics, not stored
        try (Connection c = hub.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT response_code FROM webhook_deliveries WHERE service_id = ?")) {
            ps.setString(1, "s".repeat(100));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("no row for the unknown service's delivery").isFalse();
            }
        }

        assertJsonError(hub.admin("POST", "/api/containers/services",
                "{\"name\":\"a\\u0000b\",\"git_repository\":\"x\"}"), 400, "invalid_text");
        assertJsonError(hub.admin("PUT", "/api/containers/services/" + service,
                "{\"build_config\":{\"steps\":[\"ok\",\"a\\u0000\"]}}"), 400, "invalid_text");
        assertThat(hub.admin("GET", "/api/containers/services/" + service, null).body()).doesNotContain("steps");
    }

    /** Set by subclasses' hubs: camel.server.max-body-size. */
    static final long MAX_BODY = 256 * 1024;

    @Test
    void theSameDeliverySentTenTimesAtOnceIsTakenInOnce() throws Exception {
        String service = hub.createService("dedupe", "main");
        String secret = hub.issueSecret(service, "github");
        byte[] body = githubBranchPush("main", "4444444444444444444444444444444444444444");
        Map<String, String> h = githubHeaders(secret, body, "push", UUID.randomUUID().toString());
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(() -> hub.postWebhook("github", service, body, h));
        }
        List<String> statuses = new ArrayList<>();
        try {
            for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
                statuses.add(f.get().statusCode() + " " + json(f.get()).get("status").asText());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statuses).containsOnlyOnce("202 accepted");
        assertThat(statuses).filteredOn("200 duplicate"::equals).hasSize(9);
        awaitDeployments(service, 1);
        Thread.sleep(300);
        assertThat(deployments(service).get("total").asInt()).isEqualTo(1);
        assertThat(deliveriesOf(service)).extracting(row -> row.get("status"))
                .containsOnly("processed", "duplicate").containsOnlyOnce("processed");
    }

    @Test
    void aRetryAfterTheDeliveryWasTakenInIsADuplicateFoundByTheStoredKey() throws Exception {
        String service = hub.createService("retry-later", "main");
        String secret = hub.issueSecret(service, "github");
        byte[] body = githubBranchPush("main", "5555555555555555555555555555555555555555");
        Map<String, String> h = githubHeaders(secret, body, "push", UUID.randomUUID().toString());
        HttpResponse<String> first = hub.postWebhook("github", service, body, h);
        assertThat(first.statusCode()).isEqualTo(202);
        awaitDeployments(service, 1);

        // the first copy is committed and no longer in flight: only the stored idempotency key can tell
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> again = hub.postWebhook("github", service, body, h);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(json(again).get("status").asText()).isEqualTo("duplicate");
        }
        assertThat(deliveriesOf(service)).extracting(row -> row.get("status"))
                .containsOnly("processed", "duplicate").containsOnlyOnce("processed").hasSize(4);
        assertThat(deployments(service).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void aRotatedSecretKeepsTheOldOneValidForTheGracePeriod() throws Exception {
        String service = hub.createService("rotation", "main");
        String oldSecret = hub.issueSecret(service, "github");
        HttpResponse<String> again = hub.admin("GET",
                "/api/containers/services/" + service + "/webhook-url?provider=github", null);
        assertThat(json(again).get("secret").isNull()).isTrue();
        HttpResponse<String> rotated = hub.admin("GET",
                "/api/containers/services/" + service + "/webhook-url?provider=github&rotate=true", null);
        String newSecret = json(rotated).get("secret").asText();
        assertThat(newSecret).isNotEqualTo(oldSecret);

        byte[] b1 = githubBranchPush("main", "5555555555555555555555555555555555555555");
        byte[] b2 = githubBranchPush("main", "6666666666666666666666666666666666666666");
        assertThat(hub.postWebhook("github", service, b1, githubHeaders(oldSecret, b1, "push",
                UUID.randomUUID().toString())).statusCode()).isEqualTo(202);
        assertThat(hub.postWebhook("github", service, b2, githubHeaders(newSecret, b2, "push",
                UUID.randomUUID().toString())).statusCode()).isEqualTo(202);
        awaitDeployments(service, 2);
    }

    @Test
    void adminEndpointsRequireTheTokenAndValidateInput() throws Exception {
        HttpResponse<String> none = hub.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(hub.url("/api/containers/services"))).GET());
        assertJsonError(none, 401, "unauthorized");
        HttpResponse<String> wrong = hub.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(hub.url("/api/containers/services"))).header("Authorization", "Bearer nope").GET());
        assertJsonError(wrong, 401, "unauthorized");

        assertJsonError(hub.admin("POST", "/api/containers/services", "{\"git_branch\":\"main\"}"), 400,
                "invalid_field");
        assertJsonError(hub.admin("POST", "/api/containers/services", "{not json"), 400, "malformed_json");
        assertJsonError(hub.admin("POST", "/api/containers/services", "{\"name\":\"x\",\"build_config\":\"s\"}"),
                400, "invalid_field");
        assertJsonError(hub.admin("GET", "/api/containers/services/nope", null), 404, "not_found");
        assertJsonError(hub.admin("GET", "/api/containers/services?limit=1001", null), 400, "invalid_parameter");
        String id = hub.createService("crud", "main");
        assertJsonError(hub.admin("GET", "/api/containers/services/" + id + "/webhook-url?provider=svn", null), 400,
                "invalid_parameter");
        assertJsonError(hub.admin("GET", "/api/containers/services/" + id + "/webhook-url", null), 400,
                "missing_parameter");

        HttpResponse<String> put = hub.admin("PUT", "/api/containers/services/" + id,
                "{\"git_branch\":\"release\",\"build_config\":{\"command\":\"make\"}}");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(json(put).get("git_branch").asText()).isEqualTo("release");
        assertThat(json(put).get("name").asText()).isEqualTo("crud");
        assertThat(json(put).get("build_config").get("command").asText()).isEqualTo("make");
        assertThat(json(hub.admin("GET", "/api/containers/services/" + id, null)).get("git_branch").asText())
                .isEqualTo("release");
        assertThat(hub.admin("DELETE", "/api/containers/services/" + id, null).statusCode()).isEqualTo(200);
        assertJsonError(hub.admin("GET", "/api/containers/services/" + id, null), 404, "not_found");
    }

    @Test
    void deploymentsAreListedNewestFirstWithPaging() throws Exception {
        String service = hub.createService("paging", "main");
        String secret = hub.issueSecret(service, "github");
        for (int i = 0; i < 5; i++) {
            String sha = String.valueOf("abcde".charAt(i)).repeat(40);
            byte[] body = githubBranchPush("main", sha);
            assertThat(hub.postWebhook("github", service, body, githubHeaders(secret, body, "push",
                    UUID.randomUUID().toString())).statusCode()).isEqualTo(202);
            Thread.sleep(20);
        }
        awaitDeployments(service, 5);
        JsonNode page = json(hub.admin("GET", "/api/containers/services/" + service
                + "/deployments?limit=2&offset=1", null));
        assertThat(page.get("total").asInt()).isEqualTo(5);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("offset").asInt()).isEqualTo(1);
        assertThat(page.get("items")).hasSize(2);
        assertThat(page.get("items").get(0).get("commit_sha").asText()).isEqualTo("d".repeat(40));
        assertThat(page.get("items").get(1).get("commit_sha").asText()).isEqualTo("c".repeat(40));
        assertThat(hub.admin("GET", "/api/containers/services/" + service + "/deployments?limit=0", null)
                .statusCode()).isEqualTo(400);
    }

    static Duration timeout() {
        return Duration.ofSeconds(15);
    }
}
