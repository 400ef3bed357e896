package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.events.EventTypes;
import dev.webhookhub.events.HubEvent;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipeline runs reaching a status raise events: build_started / build_completed / build_failed on the bus, and a
 * build.completed outbound webhook in the FoundriesFactory format, signed with X-JobServ-Sig; across a restart too.
 */
class RunEventsTest {

    static final String ENDPOINT_SECRET = "UseSomethingGoodHere";
    static final String FOUNDRIES_SECRET = "foundries-in";

    @TempDir
    Path dataDir;

    @Test
    void jenkinsRunsRaiseBusEventsAndASignedBuildCompletedWebhook() throws Exception {
        try (Receiver rx = Receiver.always(200); TestHub hub = TestHub.start(dataDir, settings("200"))) {
            List<HubEvent> bus = listen(hub);
            subscribe(hub, rx.url());

            assertThat(postJenkins(hub, jenkins("billing", 41, "STARTED", null)).statusCode()).isEqualTo(202);
            await(() -> types(bus).contains(EventTypes.BUILD_STARTED), "build_started");
            assertThat(rx.requests()).as("nothing goes out before the run is final").isEmpty();

            assertThat(postJenkins(hub, jenkins("billing", 41, "COMPLETED", "FAILURE")).statusCode())
                    .isEqualTo(202);
            await(() -> rx.requests().size() == 1, "build.completed delivered");
            await(() -> types(bus).contains(EventTypes.BUILD_FAILED), "build_failed");

            Receiver.Request req = rx.requests().get(0);
            assertThat(req.header("X-JobServ-Sig")).isEqualTo("sha256:" + hmacHex(ENDPOINT_SECRET, req.body()));
            assertThat(req.header("X-Webhook-Hub-Event")).isEqualTo("build.completed");
            JsonNode body = TestHub.MAPPER.readTree(req.body());
            assertThat(body.get("build_id").asLong()).isEqualTo(41);
            assertThat(body.get("status").asText()).isEqualTo("FAILED");
            assertThat(body.get("hub_status").asText()).isEqualTo("failure");
            assertThat(body.get("trigger_name").asText()).isEqualTo("billing");
            assertThat(body.get("url").asText()).isEqualTo("http://localhost:8080/job/billing/41/");
            assertThat(body.get("runs").isArray()).isTrue();
            assertThat(body.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00");
            assertThat(body.get("completed").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00");

            HubEvent failed = bus.stream().filter(e -> e.type().equals(EventTypes.BUILD_FAILED)).findFirst()
                    .orElseThrow();
            assertThat(failed.subject()).isEqualTo("billing");
            assertThat(failed.subjectKey()).isEqualTo("pipeline:jenkins/billing");
            assertThat(failed.text("status")).isEqualTo("failure");
            assertThat(failed.text("number")).isEqualTo("41");

            // a repeated final report changes nothing: no second webhook, no second event
            assertThat(postJenkins(hub, jenkins("billing", 41, "FINALIZED", "FAILURE")).statusCode())
                    .isEqualTo(202);
            Thread.sleep(1000);
            assertThat(rx.requests()).hasSize(1);
            assertThat(types(bus).stream().filter(EventTypes.BUILD_FAILED::equals)).hasSize(1);
        }
    }

    @Test
    void aFoundriesBuildGoesOutInTheFormatItCameIn() throws Exception {
        try (Receiver rx = Receiver.always(200); TestHub hub = TestHub.start(dataDir, settings("200"))) {
            List<HubEvent> bus = listen(hub);
            subscribe(hub, rx.url());
            byte[] sample = Files.readAllBytes(TestHub.samples().resolve("jobserv/build_complete.json"));
            HttpResponse<String> r = hub.send(HttpRequest.newBuilder(URI.create(hub.url(
                    "/api/webhooks/foundries/default"))).header("Content-Type", "application/json")
                    .header("X-JobServ-Sig", "sha256:" + hmacHex(FOUNDRIES_SECRET, sample))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(sample)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);

            await(() -> rx.requests().size() == 1, "build.completed delivered");
            JsonNode in = TestHub.MAPPER.readTree(sample);
            JsonNode out = TestHub.MAPPER.readTree(rx.requests().get(0).body());
            for (String field : List.of("build_id", "status", "runs", "trigger_name", "created", "completed")) {
                assertThat(out.get(field)).as(field).isEqualTo(in.get(field));
            }
            await(() -> types(bus).contains(EventTypes.BUILD_COMPLETED), "build_completed");
        }
    }

    @Test
    void aRunThatFinishedBeforeARestartIsAnnouncedAfterItOnce() throws Exception {
        try (Receiver rx = Receiver.always(200)) {
            // the first hub stores the final run but stops before its events are raised
            try (TestHub hub = TestHub.start(dataDir, settings("3600000"))) {
                subscribe(hub, rx.url());
                assertThat(postJenkins(hub, jenkins("ledger", 7, "COMPLETED", "SUCCESS")).statusCode())
                        .isEqualTo(202);
                await(() -> dueRuns(hub) == 1, "run stored and due");
            }
            assertThat(rx.requests()).isEmpty();
            try (TestHub hub = TestHub.start(dataDir, settings("200"))) {
                await(() -> rx.requests().size() == 1, "build.completed delivered after the restart");
                assertThat(TestHub.MAPPER.readTree(rx.requests().get(0).body()).get("status").asText())
                        .isEqualTo("PASSED");
                await(() -> dueRuns(hub) == 0, "run no longer due");
            }
            try (TestHub hub = TestHub.start(dataDir, settings("200"))) {
                Thread.sleep(1000);
                assertThat(rx.requests()).as("announced once").hasSize(1);
            }
        }
    }

    private static Map<String, String> settings(String eventsIntervalMs) {
        Map<String, String> s = new HashMap<>();
        s.put("hub.pipelines.events-interval-ms", eventsIntervalMs);
        s.put("hub.outbound.poll-interval-ms", "50");
        s.put("hub.foundries.secrets.default", FOUNDRIES_SECRET);
        return s;
    }

    private static void subscribe(TestHub hub, String url) {
        HttpResponse<String> r = hub.admin("GET", "/api/outbound/endpoints", null);
        if (TestHub.json(r).get("endpoints").isEmpty()) {
            r = hub.admin("POST", "/api/outbound/endpoints", "{\"url\":\"" + url
                    + "\",\"event_types\":[\"build.*\"],\"signature_scheme\":\"jobserv\",\"secret\":\""
                    + ENDPOINT_SECRET + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
    }

    private static List<HubEvent> listen(TestHub hub) throws Exception {
        List<HubEvent> seen = new CopyOnWriteArrayList<>();
        hub.context().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("{{hub.events.endpoint}}").routeId("test-bus-listener")
                        .process(e -> seen.add(e.getIn().getBody(HubEvent.class)));
            }
        });
        return seen;
    }

    private static List<String> types(List<HubEvent> events) {
        return events.stream().map(HubEvent::type).toList();
    }

    private static HttpResponse<String> postJenkins(TestHub hub, String body) {
        return hub.send(HttpRequest.newBuilder(URI.create(hub.url("/api/webhooks/jenkins")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String jenkins(String job, int number, String phase, String status) throws Exception {
        ObjectNode n = (ObjectNode) TestHub.MAPPER.readTree(
                Files.readAllBytes(TestHub.samples().resolve("jenkins/notification.build_completed.json")));
        n.put("name", job);
        n.put("url", "job/" + job + "/");
        ObjectNode b = (ObjectNode) n.get("build");
        b.put("full_url", "http://localhost:8080/job/" + job + "/" + number + "/");
        b.put("number", number);
        b.put("phase", phase);
        b.put("url", "job/" + job + "/" + number + "/");
        if (status == null) {
            b.remove("status");
        } else {
            b.put("status", status);
        }
        return n.toString();
    }

    private static int dueRuns(TestHub hub) {
        try (java.sql.Connection c = hub.dataSource().getConnection();
                java.sql.ResultSet rs = c.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM pipeline_runs WHERE events_due = TRUE")) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hmacHex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    static void await(BooleanSupplier condition, String what) {
        Await.until(condition, Duration.ofSeconds(15), what);
    }
}
