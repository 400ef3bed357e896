package dev.webhookhub.webhooks;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Registered webhooks end to end over real sockets: registration (secret shown once), every signature form right
 * and wrong, the event-type filter, inactive and deleted webhooks, rotation grace, dedupe under concurrency, rate
 * limits, replay and the CloudEvents handshake. Subclasses choose the store.
 */
abstract class RegisteredWebhooksContract {

    protected static TestHub hub;

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
            hub = null;
        }
        syncConfig = null;
    }

    record Registered(String id, String url, String secret, JsonNode answer) {
    }

    static Registered register(String body) {
        HttpResponse<String> r = hub.admin("POST", "/api/webhooks/register", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode w = json(r).get("webhook");
        return new Registered(w.get("id").asText(), w.get("webhook_url").asText(), w.get("secret").asText(), json(r));
    }

    private static String syncConfig;

    /** The sync config most webhooks here trigger. */
    static synchronized String syncConfigId() {
        if (syncConfig == null) {
            syncConfig = newSyncConfig();
        }
        return syncConfig;
    }

    /** A sync config whose source is down: its jobs run and fail at once, visibly. */
    static String newSyncConfig() {
        {
            HttpResponse<String> r = hub.admin("POST", "/api/sync-configs", "{\"name\":\"webhook-triggered-"
                    + UUID.randomUUID() + "\",\"source\":{\"type\":\"http-json\",\"url\":\"http://127.0.0.1:1/items\","
                    + "\"items\":\"$.items\",\"id\":\"id\"},\"target\":{\"type\":\"sql\",\"table\":\"webhook_synced\","
                    + "\"key\":[\"id\"]},\"trigger_type\":\"webhook\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            String id = json(r).path("config").path("id").asText(json(r).path("id").asText());
            assertThat(id).isNotBlank();
            return id;
        }
    }

    static Registered register(String name, String eventTypesJson) {
        return register("{\"name\":\"" + name + "\",\"sync_config_id\":\"" + syncConfigId()
                + "\",\"connector_id\":1,\"event_types\":" + eventTypesJson + ",\"metadata\":{\"team\":\"ops\"}}");
    }

    /** The finished jobs the queue API lists for a sync config, queued by registered webhooks. */
    static List<JsonNode> webhookJobs(String configId) {
        HttpResponse<String> r = hub.admin("GET", "/api/jobs/queue", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode j : json(r).get("queue").get("recentJobs")) {
            if (j.path("trigger").asText().equals("webhook") && j.path("configId").asText().equals(configId)) {
                out.add(j);
            }
        }
        return out;
    }

    static HttpResponse<String> receive(String url, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url("/api/webhooks/receive/" + url)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return hub.send(b);
    }

    static Map<String, String> hubSignature(String header, String secret, byte[] body) {
        Map<String, String> h = new HashMap<>();
        h.put("Content-Type", "application/json");
        h.put(header, Signatures.githubSha256(secret, body));
        return h;
    }

    static byte[] event(String type, String id) {
        return ("{\"eventType\":\"" + type + "\",\"id\":\"" + id + "\",\"resource\":{\"id\":42}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode deliveries(String webhookId) {
        HttpResponse<String> r = hub.admin("GET", "/api/webhooks/" + webhookId + "/deliveries?limit=100", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    static JsonNode webhook(String id) {
        HttpResponse<String> r = hub.admin("GET", "/api/webhooks/" + id, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("webhook");
    }

    /** Requests to URLs where no webhook is registered are counted, not stored. */
    static double unknownCount() {
        String metrics = hub.send(HttpRequest.newBuilder(URI.create(hub.url("/observe/metrics"))).GET()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?m)^hub_webhooks_unknown_total\\{[^}]*provider=\"webhook\"[^}]*} ([0-9.eE+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(json(r).get("success").asBoolean()).isFalse();
        assertThat(json(r).get("code").asText()).isEqualTo(code);
    }

    @Test
    void registrationShowsTheSecretOnceAndTheDocumentsFields() {
        Registered w = register("Azure DevOps Push Events", "[\"workitem.created\",\"workitem.updated\"]");
        JsonNode answer = w.answer();
        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(answer.get("message").asText()).isEqualTo("Webhook registered successfully");
        assertThat(w.url()).matches("webhook_[0-9a-f]{32}");
        assertThat(answer.get("webhook").get("full_url").asText()).endsWith("/api/webhooks/receive/" + w.url());
        assertThat(answer.get("webhook").get("event_types").toString())
                .isEqualTo("[\"workitem.created\",\"workitem.updated\"]");
        assertThat(w.secret()).startsWith("whsec_");

        JsonNode read = webhook(w.id());
        assertThat(read.has("secret")).isFalse();
        assertThat(read.get("sync_config_id").asText()).isEqualTo(syncConfigId());
        assertThat(read.get("metadata").get("team").asText()).isEqualTo("ops");
        assertThat(read.get("is_active").asBoolean()).isTrue();
        HttpResponse<String> list = hub.admin("GET", "/api/webhooks", null);
        assertThat(list.body()).contains(w.id()).doesNotContain(w.secret());
    }

    @Test
    void invalidRegistrationsAreRefusedAndNothingIsSaved() {
        long before = json(hub.admin("GET", "/api/webhooks", null)).get("total").asLong();
        assertError(hub.admin("POST", "/api/webhooks/register", "{}"), 400, "invalid_field");
        assertError(hub.admin("POST", "/api/webhooks/register", "{\"name\":\"x\",\"event_types\":\"push\"}"), 400,
                "invalid_field");
        assertError(hub.admin("POST", "/api/webhooks/register", "{\"name\":\"x\",\"rate_limit_per_minute\":0}"), 400,
                "invalid_field");
        assertError(hub.admin("POST", "/api/webhooks/register", "{\"name\":\"x\",\"metadata\":[1]}"), 400,
                "invalid_field");
        assertError(hub.admin("POST", "/api/webhooks/register", "not json"), 400, "malformed_json");
        assertError(hub.admin("POST", "/api/webhooks/register", "{\"name\":\"x\",\"sync_config_id\":\"nope\"}"), 400,
                "invalid_field");
        assertThat(json(hub.admin("GET", "/api/webhooks", null)).get("total").asLong()).isEqualTo(before);
        assertError(hub.send(HttpRequest.newBuilder(URI.create(hub.url("/api/webhooks"))).GET()), 401,
                "unauthorized");
        assertError(hub.admin("GET", "/api/webhooks/nope", null), 404, "not_found");
    }

    @Test
    void everySignatureFormIsAcceptedAndAWrongOneRefused() throws Exception {
        Registered w = register("signatures", "[]");
        byte[] body = event("workitem.created", UUID.randomUUID().toString());

        assertThat(receive(w.url(), body, hubSignature("X-Hub-Signature-256", w.secret(), body)).statusCode())
                .isEqualTo(202);
        byte[] b2 = event("workitem.created", UUID.randomUUID().toString());
        assertThat(receive(w.url(), b2, hubSignature("X-Webhook-Signature", w.secret(), b2)).statusCode())
                .isEqualTo(202);
        byte[] b3 = event("workitem.created", UUID.randomUUID().toString());
        Map<String, String> sw = new HashMap<>();
        String msgId = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        sw.put("Content-Type", "application/json");
        sw.put("webhook-id", msgId);
        sw.put("webhook-timestamp", String.valueOf(now));
        sw.put("webhook-signature", Signatures.standardWebhooks(w.secret(), msgId, now, b3));
        assertThat(receive(w.url(), b3, sw).statusCode()).isEqualTo(202);
        byte[] b4 = event("workitem.created", UUID.randomUUID().toString());
        assertThat(receive(w.url(), b4, Map.of("Content-Type", "application/json", "Authorization", "Basic "
                + Base64.getEncoder().encodeToString(("azure:" + w.secret()).getBytes(StandardCharsets.UTF_8))))
                .statusCode()).isEqualTo(202);

        byte[] b5 = event("workitem.created", UUID.randomUUID().toString());
        assertError(receive(w.url(), b5, hubSignature("X-Hub-Signature-256", "whsec_wrong", b5)), 401,
                "invalid_signature");
        assertError(receive(w.url(), b5, hubSignature("X-Webhook-Signature", "whsec_wrong", b5)), 401,
                "invalid_signature");
        Map<String, String> old = new HashMap<>(sw);
        old.put("webhook-timestamp", String.valueOf(now - 3600));
        old.put("webhook-signature", Signatures.standardWebhooks(w.secret(), msgId, now - 3600, b5));
        assertError(receive(w.url(), b5, old), 401, "timestamp_out_of_tolerance");
        assertError(receive(w.url(), b5, Map.of("Content-Type", "application/json", "Authorization", "Basic "
                + Base64.getEncoder().encodeToString("azure:nope".getBytes(StandardCharsets.UTF_8)))), 401,
                "invalid_token");
        assertError(receive(w.url(), b5, Map.of("Content-Type", "application/json")), 401, "missing_signature");
        assertError(receive(w.url(), b5, hubSignature("X-Hub-Signature-256", w.secret(), "{}".getBytes())), 401,
                "invalid_signature");
        byte[] notJson = "nope".getBytes(StandardCharsets.UTF_8);
        assertError(receive(w.url(), notJson, hubSignature("X-Hub-Signature-256", w.secret(), notJson)), 400,
                "malformed_json");
        Map<String, String> text = hubSignature("X-Hub-Signature-256", w.secret(), b5);
        text.put("Content-Type", "text/plain");
        assertError(receive(w.url(), b5, text), 415, "unsupported_media_type");

        Await.untilAsserted(Duration.ofSeconds(10), () -> {
            JsonNode d = deliveries(w.id());
            assertThat(d.get("total").asLong()).isEqualTo(12);
            long accepted = 0;
            long rejected = 0;
            for (JsonNode e : d.get("deliveries")) {
                accepted += e.get("signature_valid").asBoolean(false) && e.get("response_code").asInt() == 202 ? 1 : 0;
                rejected += e.get("status").asText().equals("rejected") ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(4);
            assertThat(rejected).isEqualTo(8);
        });
        JsonNode any = deliveries(w.id()).get("deliveries").get(0);
        assertThat(any.get("headers").toString()).doesNotContain(w.secret());
        for (JsonNode e : deliveries(w.id()).get("deliveries")) {
            JsonNode headers = e.get("headers");
            for (String h : List.of("X-Hub-Signature-256", "X-Webhook-Signature", "Authorization", "webhook-signature")) {
                if (headers.has(h)) {
                    assertThat(headers.get(h).asText()).isEqualTo("[redacted]");
                }
            }
        }
    }

    @Test
    void anAzureDevOpsWorkItemWithBasicAuthIsAcceptedAndCountedAsATrigger() throws Exception {
        String config = newSyncConfig();
        Registered w = register("{\"name\":\"azure\",\"sync_config_id\":\"" + config
                + "\",\"event_types\":[\"workitem.created\"]}");
        byte[] sample = Files.readAllBytes(TestHub.samples().resolve("azure-devops/workitem.created.json"));
        HttpResponse<String> r = receive(w.url(), sample, Map.of("Content-Type", "application/json; charset=utf-8",
                "Authorization", "Basic " + Base64.getEncoder().encodeToString(("x:" + w.secret())
                        .getBytes(StandardCharsets.UTF_8))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(json(r).get("status").asText()).isEqualTo("accepted");
        assertThat(json(r).get("event").asText()).isEqualTo("workitem.created");
        assertThat(json(r).get("providerDeliveryId").asText()).isEqualTo("d2d46fb1-dba5-403c-9373-427583f19e8c");
        Await.untilAsserted(Duration.ofSeconds(10), () -> {
            assertThat(webhook(w.id()).get("trigger_count").asLong()).isEqualTo(1);
            JsonNode d = deliveries(w.id()).get("deliveries").get(0);
            assertThat(d.get("payload").get("eventType").asText()).isEqualTo("workitem.created");
            assertThat(d.get("signature_valid").asBoolean()).isTrue();
            assertThat(d.get("response_code").asInt()).isEqualTo(202);
            assertThat(d.get("status").asText()).isEqualTo("processed");
        });
        // the delivery queued a job for the webhook's sync config, for the work item it names
        Await.untilAsserted(Duration.ofSeconds(20), () -> {
            List<JsonNode> jobs = webhookJobs(config);
            assertThat(jobs).hasSize(1);
            assertThat(jobs.get(0).get("workItemIds").toString()).isEqualTo("[\"5\"]");
            JsonNode status = json(hub.admin("GET", "/api/jobs/status/" + jobs.get(0).get("id").asText(), null));
            assertThat(status.toString()).contains(config);
        });
        assertThat(webhook(w.id()).get("last_triggered_at").isNull()).isFalse();
    }

    @Test
    void eventsOutsideTheSubscribedTypesAreRecordedIgnoredAndDoNotTrigger() throws Exception {
        Registered w = register("filtered", "[\"workitem.created\"]");
        byte[] body = event("workitem.deleted", UUID.randomUUID().toString());
        HttpResponse<String> r = receive(w.url(), body, hubSignature("X-Webhook-Signature", w.secret(), body));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(json(r).get("status").asText()).isEqualTo("ignored");
        byte[] header = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> h = hubSignature("X-Webhook-Signature", w.secret(), header);
        h.put("X-Event-Type", "workitem.created");
        assertThat(json(receive(w.url(), header, h)).get("status").asText()).isEqualTo("accepted");
        Await.untilAsserted(Duration.ofSeconds(10), () ->
                assertThat(webhook(w.id()).get("trigger_count").asLong()).isEqualTo(1));
        assertThat(deliveries(w.id()).get("deliveries").findValuesAsText("status")).contains("ignored");
    }

    @Test
    void inactiveAndDeletedWebhooksAnswerLikeUnknownOnes() throws Exception {
        Registered w = register("inactive", "[]");
        byte[] body = event("x", UUID.randomUUID().toString());
        double unknownBefore = unknownCount();
        assertError(receive("webhook_doesnotexist", body, hubSignature("X-Webhook-Signature", w.secret(), body)), 404,
                "unknown_webhook");
        assertThat(unknownCount()).isEqualTo(unknownBefore + 1);
        assertThat(hub.admin("PUT", "/api/webhooks/" + w.id(), "{\"is_active\":false}").statusCode()).isEqualTo(200);
        assertError(receive(w.url(), body, hubSignature("X-Webhook-Signature", w.secret(), body)), 404,
                "unknown_webhook");
        // a rejected delivery is recorded after its answer (best effort, not awaited)
        Await.untilAsserted(Duration.ofSeconds(10), () -> assertThat(deliveries(w.id()).get("deliveries")
                .findValuesAsText("response_code")).containsExactly("404"));
        assertThat(hub.admin("PUT", "/api/webhooks/" + w.id(), "{\"is_active\":true}").statusCode()).isEqualTo(200);
        assertThat(receive(w.url(), body, hubSignature("X-Webhook-Signature", w.secret(), body)).statusCode())
                .isEqualTo(202);
        assertThat(hub.admin("DELETE", "/api/webhooks/" + w.id(), null).statusCode()).isEqualTo(200);
        byte[] again = event("x", UUID.randomUUID().toString());
        assertError(receive(w.url(), again, hubSignature("X-Webhook-Signature", w.secret(), again)), 404,
                "unknown_webhook");
        assertError(hub.admin("GET", "/api/webhooks/" + w.id(), null), 404, "not_found");
    }

    @Test
    void aRotatedSecretKeepsVerifyingDuringTheGracePeriod() {
        Registered w = register("rotation", "[]");
        HttpResponse<String> r = hub.admin("POST", "/api/webhooks/" + w.id() + "/rotate-secret", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String fresh = json(r).get("secret").asText();
        assertThat(fresh).isNotEqualTo(w.secret());
        byte[] a = event("x", UUID.randomUUID().toString());
        byte[] b = event("x", UUID.randomUUID().toString());
        assertThat(receive(w.url(), a, hubSignature("X-Webhook-Signature", w.secret(), a)).statusCode()).isEqualTo(202);
        assertThat(receive(w.url(), b, hubSignature("X-Webhook-Signature", fresh, b)).statusCode()).isEqualTo(202);
        assertThat(webhook(w.id()).toString()).doesNotContain(fresh);
    }

    @Test
    void tenConcurrentCopiesOfOneDeliveryAreTakenInOnce() throws Exception {
        Registered w = register("dedupe", "[]");
        byte[] body = event("workitem.updated", "same-" + UUID.randomUUID());
        Map<String, String> h = hubSignature("X-Hub-Signature-256", w.secret(), body);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(() -> receive(w.url(), body, h));
        }
        List<String> statuses = new ArrayList<>();
        for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
            statuses.add(json(f.get()).get("status").asText());
        }
        pool.shutdown();
        assertThat(statuses).containsOnlyOnce("accepted");
        assertThat(statuses.stream().filter("duplicate"::equals).count()).isEqualTo(9);
        Await.untilAsserted(Duration.ofSeconds(10), () ->
                assertThat(webhook(w.id()).get("trigger_count").asLong()).isEqualTo(1));
    }

    @Test
    void beyondTheRateLimitDeliveriesGet429AreRecordedAndTriggerNothing() throws Exception {
        String config = newSyncConfig();
        Registered w = register("{\"name\":\"limited\",\"rate_limit_per_minute\":2,\"sync_config_id\":\""
                + config + "\"}");
        List<Integer> codes = new ArrayList<>();
        HttpResponse<String> limited = null;
        for (int i = 0; i < 4; i++) {
            byte[] body = event("x", UUID.randomUUID().toString());
            HttpResponse<String> r = receive(w.url(), body, hubSignature("X-Webhook-Signature", w.secret(), body));
            codes.add(r.statusCode());
            if (r.statusCode() == 429) {
                limited = r;
            }
        }
        assertThat(codes).containsExactly(202, 202, 429, 429);
        assertError(limited, 429, "rate_limited");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("60");
        Await.untilAsserted(Duration.ofSeconds(20), () -> {
            assertThat(webhook(w.id()).get("trigger_count").asLong()).isEqualTo(2);
            assertThat(deliveries(w.id()).get("deliveries").findValuesAsText("response_code"))
                    .containsOnly("202", "429").hasSize(4);
            assertThat(webhookJobs(config)).as("one job per accepted delivery, none for the refused")
                    .hasSize(2);
        });
    }

    @Test
    void aReplayRunsAStoredDeliveryAgainAsANewLinkedDelivery() throws Exception {
        Registered w = register("replay", "[]");
        byte[] body = event("workitem.created", UUID.randomUUID().toString());
        String original = json(receive(w.url(), body, hubSignature("X-Webhook-Signature", w.secret(), body)))
                .get("deliveryId").asText();
        Await.untilAsserted(Duration.ofSeconds(10), () ->
                assertThat(webhook(w.id()).get("trigger_count").asLong()).isEqualTo(1));
        HttpResponse<String> r = hub.admin("POST", "/api/webhooks/" + w.id() + "/deliveries/" + original + "/replay",
                null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String replayed = json(r).get("deliveryId").asText();
        assertThat(replayed).isNotEqualTo(original);
        assertThat(json(r).get("replayOf").asText()).isEqualTo(original);
        Await.untilAsserted(Duration.ofSeconds(10), () ->
                assertThat(webhook(w.id()).get("trigger_count").asLong()).isEqualTo(2));
        try (Connection c = hub.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT replay_of FROM webhook_deliveries WHERE id = ?")) {
            ps.setString(1, replayed);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(original);
            }
        }
        assertThat(hub.payloads().body(replayed)).as("the replay keeps the original's body")
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(body));
        byte[] bad = event("x", UUID.randomUUID().toString());
        receive(w.url(), bad, hubSignature("X-Webhook-Signature", "whsec_wrong", bad));
        List<String> rejectedIds = new ArrayList<>();
        Await.untilAsserted(Duration.ofSeconds(10), () -> {
            rejectedIds.clear();
            for (JsonNode d : deliveries(w.id()).get("deliveries")) {
                if (d.get("status").asText().equals("rejected")) {
                    rejectedIds.add(d.get("id").asText());
                }
            }
            assertThat(rejectedIds).hasSize(1);
        });
        String rejected = rejectedIds.get(0);
        assertError(hub.admin("POST", "/api/webhooks/" + w.id() + "/deliveries/" + rejected + "/replay", null), 409,
                "not_replayable");
        assertError(hub.admin("POST", "/api/webhooks/" + w.id() + "/deliveries/nope/replay", null), 404,
                "not_found");
    }

    @Test
    void aServicesDeliveryCanBeReplayed() throws Exception {
        String service = hub.createService("replayed-svc", "main");
        String secret = hub.issueSecret(service, "github");
        byte[] body = ("{\"zen\":\"x\",\"repository\":{\"full_name\":\"o/r\"},\"action\":\"opened\"}")
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> h = new HashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-GitHub-Event", "issues");
        h.put("X-GitHub-Delivery", UUID.randomUUID().toString());
        h.put("X-Hub-Signature-256", Signatures.githubSha256(secret, body));
        String original = json(hub.postWebhook("github", service, body, h)).get("deliveryId").asText();
        Await.untilAsserted(Duration.ofSeconds(10), () -> assertThat(hub.admin("GET", "/api/containers/services/"
                + service + "/deliveries", null).body()).contains("\"processed\""));
        HttpResponse<String> r = hub.admin("POST", "/api/containers/services/" + service + "/deliveries/" + original
                + "/replay", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String replayed = json(r).get("deliveryId").asText();
        Await.untilAsserted(Duration.ofSeconds(10), () -> {
            JsonNode items = json(hub.admin("GET", "/api/containers/services/" + service + "/deliveries", null))
                    .get("items");
            boolean done = false;
            for (JsonNode i : items) {
                done |= i.get("id").asText().equals(replayed) && i.get("status").asText().equals("processed");
            }
            assertThat(done).as(items.toString()).isTrue();
        });
        assertError(hub.admin("POST", "/api/containers/services/nope/deliveries/" + original + "/replay", null), 404,
                "not_found");
    }

    @Test
    void aServicesRateLimitRefusesGitDeliveriesBeyondIt() throws Exception {
        HttpResponse<String> created = hub.admin("POST", "/api/containers/services",
                "{\"name\":\"limited-svc\",\"git_branch\":\"main\",\"rate_limit_per_minute\":1}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String service = json(created).get("id").asText();
        assertThat(json(created).get("rate_limit_per_minute").asInt()).isEqualTo(1);
        assertError(hub.admin("PUT", "/api/containers/services/" + service, "{\"rate_limit_per_minute\":-3}"), 400,
                "invalid_field");
        String secret = hub.issueSecret(service, "github");
        List<Integer> codes = new ArrayList<>();
        HttpResponse<String> last = null;
        for (int i = 0; i < 2; i++) {
            byte[] body = ("{\"ref\":\"refs/heads/main\",\"after\":\"" + "ab".repeat(20) + "\","
                    + "\"repository\":{\"full_name\":\"o/r\"},\"head_commit\":{\"id\":\"" + "ab".repeat(20)
                    + "\",\"message\":\"m\"}}").getBytes(StandardCharsets.UTF_8);
            Map<String, String> h = new HashMap<>();
            h.put("Content-Type", "application/json");
            h.put("X-GitHub-Event", "push");
            h.put("X-GitHub-Delivery", UUID.randomUUID().toString());
            h.put("X-Hub-Signature-256", Signatures.githubSha256(secret, body));
            last = hub.postWebhook("github", service, body, h);
            codes.add(last.statusCode());
        }
        assertThat(codes).containsExactly(202, 429);
        assertError(last, 429, "rate_limited");
        assertThat(last.headers().firstValue("Retry-After")).hasValue("60");
        Await.untilAsserted(Duration.ofSeconds(10), () -> {
            JsonNode log = json(hub.admin("GET", "/api/containers/services/" + service + "/deliveries", null));
            assertThat(log.get("items").findValuesAsText("response_code")).containsExactlyInAnyOrder("202", "429");
        });
        Await.untilAsserted(Duration.ofSeconds(10), () -> assertThat(json(hub.admin("GET",
                "/api/containers/services/" + service + "/deployments", null)).get("total").asLong()).isEqualTo(1));
        assertThat(hub.admin("PUT", "/api/containers/services/" + service, "{\"rate_limit_per_minute\":null}")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void everyReceiverAnswersTheCloudEventsHandshake() {
        for (String path : List.of("/api/webhooks/receive/webhook_x", "/api/containers/webhooks/github/s",
                "/api/webhooks/jenkins", "/webhook/results")) {
            HttpResponse<String> r = hub.send(HttpRequest.newBuilder(URI.create(hub.url(path)))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("WebHook-Request-Origin", "eventemitter.example.com"));
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("WebHook-Allowed-Origin")).as(path)
                    .hasValue("eventemitter.example.com");
            assertThat(r.headers().firstValue("WebHook-Allowed-Rate")).as(path).hasValue("*");
            assertThat(r.headers().firstValue("Allow").orElse("")).contains("POST");
        }
    }
}
