package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.events.EventTypes;
import dev.webhookhub.events.HubEvent;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.TestHub;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Pipeline results end to end on the real hub: stage reports over HTTP, completion, the signed document at a real
 * local receiver and at the hub's own POST /webhook/results, schema rejections that store and send nothing.
 */
abstract class PipelineResultsContract {

    static final String RECEIVER_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "pipeline-results-receiver-key-32b".getBytes(StandardCharsets.UTF_8));

    static TestHub hub;
    static Receiver rx;
    static String rxSecret;
    static String rxEndpointId;
    static String loopEndpointId;
    static final List<HubEvent> EVENTS = new CopyOnWriteArrayList<>();

    static Map<String, String> settings(Path dataDir) {
        Map<String, String> m = new HashMap<>();
        m.put("hub.outbound.retry-schedule", "0s,100ms,100ms");
        m.put("hub.outbound.retry-jitter", "0");
        m.put("hub.outbound.poll-interval-ms", "50");
        m.put("hub.outbound.backup-dir", dataDir.resolve("backups").toString());
        m.put("hub.results-receiver.secret", RECEIVER_SECRET);
        return m;
    }

    /** After the hub started: a local receiver and the hub's own receiver subscribed to pipeline.completed. */
    static void subscribe() throws Exception {
        rx = Receiver.always(200);
        JsonNode ep = createEndpoint(rx.url(), null);
        rxEndpointId = ep.get("id").asText();
        rxSecret = ep.get("secret").asText();
        loopEndpointId = createEndpoint(hub.url("/webhook/results"), RECEIVER_SECRET).get("id").asText();
        hub.context().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("{{hub.events.endpoint}}").routeId("test-pipeline-events")
                        .process(e -> EVENTS.add(e.getIn().getBody(HubEvent.class)));
            }
        });
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
        if (rx != null) {
            rx.close();
        }
    }

    // ---- helpers

    static JsonNode createEndpoint(String url, String secret) {
        HttpResponse<String> r = hub.admin("POST", "/api/outbound/endpoints", "{\"url\":\"" + url
                + "\",\"event_types\":[\"pipeline.completed\"],\"signature_scheme\":\"standard-webhooks\""
                + (secret == null ? "" : ",\"secret\":\"" + secret + "\"") + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestHub.json(r);
    }

    static String newPipelineId() {
        return "acme/shop_" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String path(String pipelineId) {
        return "/api/pipelines/" + URLEncoder.encode(pipelineId, StandardCharsets.UTF_8);
    }

    static HttpResponse<String> stage(String pipelineId, String stage, String body) {
        return hub.admin("POST", path(pipelineId) + "/stages/" + stage, body);
    }

    static JsonNode stageOk(String pipelineId, String stage, String body) {
        HttpResponse<String> r = stage(pipelineId, stage, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestHub.json(r);
    }

    static HttpResponse<String> complete(String pipelineId, String body) {
        return hub.admin("POST", path(pipelineId) + "/complete", body);
    }

    static ObjectNode example() throws Exception {
        try (InputStream in = PipelineResultsContract.class.getResourceAsStream(
                "/results/product-document-example.json")) {
            return (ObjectNode) TestHub.MAPPER.readTree(in);
        }
    }

    static List<Receiver.Request> deliveriesOf(String pipelineId) {
        List<Receiver.Request> out = new ArrayList<>();
        for (Receiver.Request r : rx.requests()) {
            if (pipelineId.equals(bodyOf(r).path("results").path("pipeline_id").asText())) {
                out.add(r);
            }
        }
        return out;
    }

    static JsonNode bodyOf(Receiver.Request r) {
        try {
            return TestHub.MAPPER.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode received(String pipelineId) {
        HttpResponse<String> r = hub.admin("GET", "/api/results/received?pipeline_id="
                + URLEncoder.encode(pipelineId, StandardCharsets.UTF_8), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestHub.json(r);
    }

    static void await(BooleanSupplier condition, String what) {
        Await.until(condition, Duration.ofSeconds(10), what);
    }

    static void sleep(long ms) {
        Await.sleep(ms);
    }

    // independent signature code: javax.crypto directly, not the hub's classes
    static String standardWebhooksSignature(String secret, String id, String timestamp, byte[] body)
            throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    static HttpResponse<String> postToReceiver(byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url("/webhook/results")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return hub.send(b);
    }

    // ---- tests

    @Test
    void fourStageReportsCompleteThePipelineAndTheSignedDocumentArrives() throws Exception {
        String id = newPipelineId();
        JsonNode ex = example().get("results");
        String pipelineFields = "\"repository_name\":\"acme/shop\",\"branch_name\":\"feature/auth\",\"pr_number\":123,"
                + "\"start_timestamp\":\"2025-08-24T12:28:30+02:00\","
                + "\"trigger_info\":{\"trigger_type\":\"pull_request\",\"triggered_by\":\"octocat\","
                + "\"triggered_at\":\"2025-08-24T10:28:29.000Z\"},\"resource_metrics\":{\"total_api_calls\":42}";
        JsonNode first = stageOk(id, "build", "{\"build_results\":" + ex.get("build_results") + "," + pipelineFields
                + "}");
        assertThat(first.get("state").asText()).isEqualTo("open");
        assertThat(first.get("completed_now").asBoolean()).isFalse();
        assertThat(first.has("document")).isFalse();
        stageOk(id, "analysis", "{\"analysis_results\":" + ex.get("analysis_results") + "}");
        stageOk(id, "fix", "{\"fix_results\":" + ex.get("fix_results") + "}");
        Instant beforeLast = Instant.now().minusMillis(5);
        JsonNode last = stageOk(id, "test", "{\"test_results\":" + ex.get("test_results") + "}");
        assertThat(last.get("completed_now").asBoolean()).as("auto-complete after the four stages").isTrue();
        assertThat(last.get("state").asText()).isEqualTo("completed");
        assertThat(last.get("outbound_messages").asInt()).isEqualTo(2);
        JsonNode doc = last.get("document");

        await(() -> deliveriesOf(id).size() == 1, "the document at the receiver");
        Receiver.Request req = deliveriesOf(id).get(0);
        assertThat(req.header("x-webhook-hub-event")).isEqualTo("pipeline.completed");
        assertThat(req.header("content-type")).isEqualTo("application/json");
        assertThat(req.header("webhook-signature")).isEqualTo(standardWebhooksSignature(rxSecret,
                req.header("webhook-id"), req.header("webhook-timestamp"), req.body()));
        JsonNode sent = bodyOf(req);
        assertThat(sent).isEqualTo(doc);

        List<String> order = new ArrayList<>();
        sent.fieldNames().forEachRemaining(order::add);
        assertThat(order).containsExactly("event_type", "timestamp", "version", "results");
        assertThat(sent.get("event_type").asText()).isEqualTo("pipeline_complete");
        assertThat(sent.get("version").asText()).isEqualTo("1.0");
        String iso = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
        assertThat(sent.get("timestamp").asText()).matches(iso);
        JsonNode r = sent.get("results");
        List<String> fields = new ArrayList<>();
        r.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("pipeline_id", "repository_name", "branch_name", "pr_number",
                "pipeline_status", "start_timestamp", "end_timestamp", "total_duration", "success_rate",
                "build_results", "analysis_results", "fix_results", "test_results", "resource_metrics",
                "trigger_info");
        assertThat(r.get("pipeline_id").asText()).isEqualTo(id);
        assertThat(r.get("repository_name").asText()).isEqualTo("acme/shop");
        assertThat(r.get("branch_name").asText()).isEqualTo("feature/auth");
        assertThat(r.get("pr_number").asInt()).isEqualTo(123);
        assertThat(r.get("pipeline_status").asText()).isEqualTo("success");
        assertThat(r.get("success_rate").asDouble()).isEqualTo(100.0);
        assertThat(r.get("start_timestamp").asText()).as("normalised to UTC").isEqualTo("2025-08-24T10:28:30.000Z");
        assertThat(r.get("end_timestamp").asText()).matches(iso);
        Instant end = Instant.parse(r.get("end_timestamp").asText());
        assertThat(end).isBetween(beforeLast, Instant.now());
        assertThat(r.get("total_duration").asDouble()).as("seconds from start to end")
                .isEqualTo((end.toEpochMilli() - Instant.parse("2025-08-24T10:28:30Z").toEpochMilli()) / 1000.0);
        for (String stage : List.of("build_results", "analysis_results", "fix_results", "test_results")) {
            assertThat(r.get(stage)).as(stage).isEqualTo(ex.get(stage));
        }
        assertThat(r.get("resource_metrics").get("total_api_calls").asInt()).isEqualTo(42);
        assertThat(r.get("trigger_info").get("triggered_by").asText()).isEqualTo("octocat");

        await(() -> EVENTS.stream().anyMatch(e -> ("pipeline:" + id).equals(e.subjectKey())), "the bus event");
        HubEvent event = EVENTS.stream().filter(e -> ("pipeline:" + id).equals(e.subjectKey())).findFirst().get();
        assertThat(event.type()).isEqualTo(EventTypes.PIPELINE_COMPLETED);
        assertThat(event.subject()).isEqualTo("acme/shop");
        assertThat(event.text("status")).isEqualTo("success");
        assertThat(event.text("success_rate")).isEqualTo("100.0");
        assertThat(event.text("link")).endsWith(path(id) + "/results");

        HttpResponse<String> view = hub.admin("GET", path(id) + "/results", null);
        assertThat(view.statusCode()).as(view.body()).isEqualTo(200);
        assertThat(TestHub.json(view).get("document")).isEqualTo(doc);
        assertThat(TestHub.json(view).get("draft").asBoolean()).isFalse();
        assertThat(TestHub.json(view).get("stages_received")).hasSize(4);
    }

    @Test
    void explicitCompletionDerivesTheStatusAndCompletingTwiceSendsOnce() throws Exception {
        String id = newPipelineId();
        stageOk(id, "build", "{\"build_results\":{\"success\":true,\"duration\":12.5}}");
        JsonNode draft = TestHub.json(hub.admin("GET", path(id) + "/results", null));
        assertThat(draft.get("draft").asBoolean()).isTrue();
        assertThat(draft.get("document").get("results").get("pipeline_status").asText()).isEqualTo("partial");
        assertThat(draft.get("document").get("results").get("success_rate").asDouble()).isEqualTo(25.0);
        assertThat(draft.get("document").get("results").get("analysis_results").isNull()).isTrue();
        stageOk(id, "analysis", "{\"analysis_results\":{\"success\":false,\"duration\":3,"
                + "\"severity_breakdown\":{\"critical\":1}}}");

        HttpResponse<String> first = complete(id, null);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode done = TestHub.json(first);
        assertThat(done.get("completed_now").asBoolean()).isTrue();
        assertThat(done.get("already_completed").asBoolean()).isFalse();
        JsonNode r = done.get("document").get("results");
        assertThat(r.get("pipeline_status").asText()).isEqualTo("failed");
        assertThat(r.get("success_rate").asDouble()).isEqualTo(25.0);
        assertThat(r.get("fix_results").isNull()).isTrue();
        assertThat(r.get("test_results").isNull()).isTrue();
        assertThat(r.get("repository_name").isNull()).isTrue();
        // no start given: the first report's arrival less its 12.5 s
        Instant start = Instant.parse(r.get("start_timestamp").asText());
        Instant created = Instant.parse(done.get("created_at").asText());
        assertThat(Duration.between(start, created).toMillis()).isEqualTo(12_500);

        HttpResponse<String> second = complete(id, "{\"repository_name\":\"other\"}");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(TestHub.json(second).get("already_completed").asBoolean()).isTrue();
        assertThat(TestHub.json(second).get("outbound_messages").asInt()).isZero();
        assertThat(TestHub.json(second).get("document")).isEqualTo(done.get("document"));

        HttpResponse<String> late = stage(id, "fix", "{\"fix_results\":{\"success\":true}}");
        assertThat(late.statusCode()).as(late.body()).isEqualTo(409);
        assertThat(TestHub.json(late).get("code").asText()).isEqualTo("pipeline_completed");

        await(() -> deliveriesOf(id).size() == 1, "the document at the receiver");
        await(() -> received(id).get("total").asInt() == 1, "the document at /webhook/results");
        sleep(500);
        assertThat(deliveriesOf(id)).hasSize(1);
        assertThat(received(id).get("total").asInt()).isEqualTo(1);
        assertThat(bodyOf(deliveriesOf(id).get(0))).isEqualTo(done.get("document"));
    }

    @Test
    void racingCompletionsPublishExactlyOnce() throws Exception {
        String id = newPipelineId();
        stageOk(id, "build", "{\"build_results\":{\"success\":true}}");
        stageOk(id, "analysis", "{\"analysis_results\":{\"success\":true}}");
        stageOk(id, "fix", "{\"fix_results\":{\"success\":true}}");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            calls.add(pool.submit(() -> stage(id, "test", "{\"test_results\":{\"success\":true}}")));
            for (int i = 0; i < 3; i++) {
                calls.add(pool.submit(() -> complete(id, null)));
            }
            int completedNow = 0;
            for (Future<HttpResponse<String>> f : calls) {
                HttpResponse<String> resp = f.get();
                // the test stage either completed the pipeline or came after a completion (409)
                assertThat(resp.statusCode()).as(resp.body()).isIn(200, 409);
                if (resp.statusCode() == 200 && TestHub.json(resp).get("completed_now").asBoolean()) {
                    completedNow++;
                }
            }
            assertThat(completedNow).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        await(() -> deliveriesOf(id).size() == 1, "the document at the receiver");
        sleep(500);
        assertThat(deliveriesOf(id)).hasSize(1);
    }

    @Test
    void theWholeLoopArrivesVerifiedAtTheBuiltInReceiverAndRetriesAreStoredOnce() throws Exception {
        String id = newPipelineId();
        stageOk(id, "build", "{\"build_results\":{\"success\":true},\"repository_name\":\"acme/loop\"}");
        JsonNode doc = TestHub.json(complete(id, "")).get("document");

        await(() -> received(id).get("total").asInt() == 1, "the document at /webhook/results");
        JsonNode item = received(id).get("items").get(0);
        assertThat(item.get("signature_verified").asBoolean()).isTrue();
        assertThat(item.get("body")).isEqualTo(doc);
        assertThat(item.get("pipeline_id").asText()).isEqualTo(id);
        assertThat(item.get("event_type").asText()).isEqualTo("pipeline.completed");
        assertThat(item.get("headers").get("webhook-signature").asText()).startsWith("v1,");
        assertThat(Instant.parse(item.get("received_at").asText())).isBefore(Instant.now().plusSeconds(1));

        String messageId = item.get("message_id").asText();
        HttpResponse<String> again = hub.admin("POST", "/api/outbound/messages/" + messageId + "/redeliver", null);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        await(() -> TestHub.json(hub.admin("GET", "/api/outbound/messages/" + messageId, null))
                .get("attempt_history").size() == 2, "the redelivery");
        assertThat(received(id).get("total").asInt()).as("a redelivered message is stored once").isEqualTo(1);
    }

    @Test
    void theBuiltInReceiverRefusesBadSignaturesAndNonJson() throws Exception {
        byte[] body = "{\"event_type\":\"pipeline_complete\",\"results\":{\"pipeline_id\":\"forged\"}}"
                .getBytes(StandardCharsets.UTF_8);
        String msgId = "msg_" + UUID.randomUUID();
        String ts = Long.toString(Instant.now().getEpochSecond());
        String wrongSecret = "whsec_" + Base64.getEncoder().encodeToString("a-different-secret-of-32-bytes!!"
                .getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> unsigned = postToReceiver(body, Map.of("Content-Type", "application/json"));
        assertThat(unsigned.statusCode()).as(unsigned.body()).isEqualTo(401);
        assertThat(TestHub.json(unsigned).get("code").asText()).isEqualTo("missing_signature");

        HttpResponse<String> wrong = postToReceiver(body, Map.of("Content-Type", "application/json",
                "webhook-id", msgId, "webhook-timestamp", ts,
                "webhook-signature", standardWebhooksSignature(wrongSecret, msgId, ts, body)));
        assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);
        assertThat(TestHub.json(wrong).get("code").asText()).isEqualTo("invalid_signature");

        String old = Long.toString(Instant.now().getEpochSecond() - 3600);
        HttpResponse<String> stale = postToReceiver(body, Map.of("webhook-id", msgId, "webhook-timestamp", old,
                "webhook-signature", standardWebhooksSignature(RECEIVER_SECRET, msgId, old, body)));
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(401);
        assertThat(TestHub.json(stale).get("code").asText()).isEqualTo("timestamp_out_of_tolerance");
        assertThat(TestHub.json(stale).get("error").asText())
                .isEqualTo("webhook-timestamp is too far from the receiver's clock");

        byte[] notJson = "results: yes".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> text = postToReceiver(notJson, Map.of("webhook-id", msgId, "webhook-timestamp", ts,
                "webhook-signature", standardWebhooksSignature(RECEIVER_SECRET, msgId, ts, notJson)));
        assertThat(text.statusCode()).as(text.body()).isEqualTo(400);
        assertThat(TestHub.json(text).get("code").asText()).isEqualTo("malformed_json");
        assertThat(received("forged").get("total").asInt()).isZero();

        HttpResponse<String> good = postToReceiver(body, Map.of("Content-Type", "application/json",
                "webhook-id", msgId, "webhook-timestamp", ts,
                "webhook-signature", standardWebhooksSignature(RECEIVER_SECRET, msgId, ts, body)));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
        assertThat(TestHub.json(good).get("status").asText()).isEqualTo("received");
        assertThat(received("forged").get("total").asInt()).isEqualTo(1);

        HttpResponse<String> get = hub.send(HttpRequest.newBuilder(URI.create(hub.url("/webhook/results"))).GET());
        assertThat(get.statusCode()).as("only POST is routed").isIn(404, 405);
        assertThat(TestHub.json(get).get("success").asBoolean()).isFalse();

        // an endpoint signing with the wrong secret: the hub's own receiver answers 401, the message fails
        String badEndpoint = createEndpoint(hub.url("/webhook/results"), wrongSecret).get("id").asText();
        try {
            String id = newPipelineId();
            stageOk(id, "build", "{\"build_results\":{\"success\":true}}");
            assertThat(complete(id, null).statusCode()).isEqualTo(200);
            await(() -> TestHub.json(hub.admin("GET", "/api/outbound/endpoints/" + badEndpoint
                    + "/messages?status=failed", null)).get("messages").size() == 1, "the refused message");
            JsonNode m = TestHub.json(hub.admin("GET", "/api/outbound/endpoints/" + badEndpoint + "/messages", null))
                    .get("messages").get(0);
            assertThat(m.get("last_status_code").asInt()).isEqualTo(401);
            await(() -> received(id).get("total").asInt() == 1, "the correctly signed copy");
        } finally {
            hub.admin("DELETE", "/api/outbound/endpoints/" + badEndpoint, null);
        }
    }

    @Test
    void invalidReportsAndCompletionsAreRefusedAndNothingIsStoredOrSent() throws Exception {
        String id = newPipelineId();
        int outboxBefore = outboxSize();
        HttpResponse<String> wrongType = stage(id, "build", "{\"build_results\":{\"success\":true,"
                + "\"duration\":\"fast\",\"files_downloaded\":-1}}");
        assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(400);
        JsonNode err = TestHub.json(wrongType);
        assertThat(err.get("success").asBoolean()).isFalse();
        assertThat(err.get("code").asText()).isEqualTo("invalid_results");
        assertThat(err.get("error").asText()).contains("build_results.duration").contains("build_results.files_downloaded");
        assertThat(hub.admin("GET", path(id) + "/results", null).statusCode()).as("nothing stored").isEqualTo(404);

        assertRefused(stage(id, "build", "{\"build_results\":{\"duration\":1}}"), "invalid_results", "success");
        assertRefused(stage(id, "build", "{\"build_results\":[]}"), "invalid_field", "build_results");
        assertRefused(stage(id, "build", "{\"repository_name\":\"x\"}"), "missing_field", "build_results");
        assertRefused(stage(id, "build", "{\"build_results\":{\"success\":true},\"fix_results\":{}}"), "wrong_stage",
                "fix_results");
        assertRefused(stage(id, "build", "{\"build_results\":{\"success\":true},\"repo\":1}"), "unknown_field",
                "repo");
        assertRefused(stage(id, "build", "{\"build_results\":{\"success\":true},\"pipeline_status\":\"success\"}"),
                "unknown_field", "pipeline_status");
        assertRefused(stage(id, "build", "{\"build_results\":{\"success\":true},\"start_timestamp\":\"yesterday\"}"),
                "invalid_field", "start_timestamp");
        assertRefused(stage(id, "build", "{\"build_results\":{\"success\":true},\"trigger_info\":\"me\"}"),
                "invalid_results", "trigger_info");
        assertRefused(stage(id, "build", "{\"build_results\":"), "malformed_json", "JSON");
        assertThat(hub.admin("GET", path(id) + "/results", null).statusCode()).isEqualTo(404);

        stageOk(id, "build", "{\"build_results\":{\"success\":true},\"start_timestamp\":\"2025-08-24T10:28:30Z\"}");
        assertRefused(complete(id, "{\"pr_number\":\"abc\"}"), "invalid_results", "pr_number");
        assertRefused(complete(id, "{\"end_timestamp\":\"2025-08-24T10:00:00Z\"}"), "invalid_field", "end_timestamp");
        assertRefused(complete(id, "{\"build_results\":{\"success\":false}}"), "wrong_stage", "build_results");
        JsonNode view = TestHub.json(hub.admin("GET", path(id) + "/results", null));
        assertThat(view.get("state").asText()).isEqualTo("open");
        assertThat(view.get("document").get("results").get("pr_number").isNull()).isTrue();

        sleep(300);
        assertThat(deliveriesOf(id)).isEmpty();
        assertThat(received(id).get("total").asInt()).isZero();
        assertThat(outboxSize()).as("no outbox row written").isEqualTo(outboxBefore);
    }

    static int outboxSize() {
        return TestHub.json(hub.admin("GET", "/api/outbound/endpoints/" + rxEndpointId + "/messages?limit=1000",
                null)).get("messages").size();
    }

    @Test
    void unknownStagesPipelinesAndMissingTokensAreRefused() {
        String id = newPipelineId();
        assertRefused(stage(id, "deploy", "{\"deploy_results\":{\"success\":true}}"), "unknown_stage", "deploy", 404);
        assertRefused(complete(id, null), "not_found", id, 404);
        assertRefused(hub.admin("GET", path(id) + "/results", null), "not_found", id, 404);

        HttpResponse<String> anonymous = hub.send(HttpRequest.newBuilder(URI.create(hub.url(path(id)
                + "/stages/build"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"build_results\":{\"success\":true}}")));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(hub.send(HttpRequest.newBuilder(URI.create(hub.url("/api/results/received"))).GET())
                .statusCode()).isEqualTo(401);
        assertThat(hub.admin("GET", path(id) + "/results", null).statusCode()).isEqualTo(404);
    }

    @Test
    void receivedResultsArePaged() {
        String id = newPipelineId();
        for (int i = 0; i < 3; i++) {
            byte[] body = ("{\"results\":{\"pipeline_id\":\"" + id + "\"},\"n\":" + i + "}")
                    .getBytes(StandardCharsets.UTF_8);
            String msgId = "msg_" + UUID.randomUUID();
            String ts = Long.toString(Instant.now().getEpochSecond());
            try {
                assertThat(postToReceiver(body, Map.of("webhook-id", msgId, "webhook-timestamp", ts,
                        "webhook-signature", standardWebhooksSignature(RECEIVER_SECRET, msgId, ts, body)))
                        .statusCode()).isEqualTo(200);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        String q = "/api/results/received?pipeline_id=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        JsonNode page = TestHub.json(hub.admin("GET", q + "&limit=2&offset=1", null));
        assertThat(page.get("total").asInt()).isEqualTo(3);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("offset").asInt()).isEqualTo(1);
        assertThat(page.get("items")).hasSize(2);
        assertThat(page.get("items").get(0).get("body").get("n").asInt()).as("newest first").isEqualTo(1);
        assertThat(hub.admin("GET", "/api/results/received?limit=0", null).statusCode()).isEqualTo(400);
        assertThat(TestHub.json(hub.admin("GET", "/api/results/received", null)).get("total").asInt())
                .isGreaterThanOrEqualTo(3);
    }

    static void assertRefused(HttpResponse<String> r, String code, String mentions) {
        assertRefused(r, code, mentions, 400);
    }

    static void assertRefused(HttpResponse<String> r, String code, String mentions, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode err = TestHub.json(r);
        assertThat(err.get("success").asBoolean()).isFalse();
        assertThat(err.get("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(err.get("error").asText()).as(r.body()).contains(mentions);
    }
}
