package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.TestHub;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What operators see: health with the database check, Prometheus metrics, JMX and a restricted Jolokia. */
class OperationsTest {

    @TempDir
    static Path dataDir;
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(dataDir);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** With the admin token: management (/observe, but for liveness, readiness and metrics) needs credentials. */
    private static HttpResponse<String> get(String path) {
        return hub.send(HttpRequest.newBuilder(URI.create(hub.url(path)))
                .header("Authorization", "Bearer " + hub.token()).GET());
    }

    private static HttpResponse<String> post(String path, String body) {
        return hub.send(HttpRequest.newBuilder(URI.create(hub.url(path)))
                .header("Authorization", "Bearer " + hub.token()).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> anonymous(String method, String path, String body) {
        return hub.send(HttpRequest.newBuilder(URI.create(hub.url(path))).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void managementNeedsCredentialsButProbesAndMetricsAreOpen() {
        for (String path : new String[] {"/observe/health", "/observe/info", "/observe/jolokia",
                "/observe/jolokia/version", "/observe/jolokia/read/java.lang:type=Memory/HeapMemoryUsage"}) {
            assertJsonError(anonymous("GET", path, null), 401, "unauthorized", "credentials");
        }
        assertJsonError(anonymous("POST", "/observe/jolokia", "{\"type\":\"version\"}"), 401, "unauthorized",
                "credentials");
        for (String path : new String[] {"/observe/health/live", "/observe/health/ready", "/observe/metrics"}) {
            assertThat(anonymous("GET", path, null).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(get("/observe/info").statusCode()).isEqualTo(200);
        assertThat(json(get("/observe/info")).path("camel").path("name").asText()).isEqualTo("webhook-hub");
    }

    @Test
    void healthIsUpAndIncludesTheDatabaseCheck() {
        HttpResponse<String> r = get("/observe/health");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode health = json(r);
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("checks").findValuesAsText("name")).contains("database", "route:git-webhook-receiver",
                "route:git-event-worker");
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals("database")) {
                assertThat(check.get("status").asText()).isEqualTo("UP");
            }
        }
    }

    @Test
    void metricsArePrometheusText() {
        HttpResponse<String> r = anonymous("GET", "/observe/metrics", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("# TYPE").contains("camel_exchanges_total")
                .contains("routeId=\"git-webhook-receiver\"");
    }

    @Test
    void jmxAndJolokiaShowTheFixedContextNameAndRefuseJvmOperations() throws Exception {
        ObjectName context = new ObjectName("org.apache.camel:context=webhook-hub,type=context,name=\"webhook-hub\"");
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(context, "State")).isEqualTo("Started");

        JsonNode read = json(post("/observe/jolokia", "{\"type\":\"read\",\"mbean\":\""
                + "org.apache.camel:context=webhook-hub,type=routes,name=\\\"git-webhook-receiver\\\"\","
                + "\"attribute\":\"State\"}"));
        assertThat(read.get("status").asInt()).as(read.toString()).isEqualTo(200);
        assertThat(read.get("value").asText()).isEqualTo("Started");
        // routes keep their MBeans and statistics; per-processor MBeans are off by default (heap, see README)
        assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName(
                "org.apache.camel:context=webhook-hub,type=processors,*"), null)).isEmpty();
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(
                "org.apache.camel:context=webhook-hub,type=routes,name=\"git-webhook-receiver\""), "ExchangesTotal"))
                .isInstanceOf(Long.class);

        // refused by the hub's Jolokia guard with HTTP 403 before Jolokia (whose own policy refuses them too)
        HttpResponse<String> gc = post("/observe/jolokia", "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\","
                + "\"operation\":\"gc\"}");
        assertJsonError(gc, 403, "forbidden", "not allowed");
        HttpResponse<String> write = post("/observe/jolokia", "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\","
                + "\"attribute\":\"Verbose\",\"value\":true}");
        assertJsonError(write, 403, "forbidden", "not allowed");
    }

    @Test
    void unknownPathsAndMethodsGetJsonErrors() {
        HttpResponse<String> unknown = get("/no/such/path");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("code").asText()).isEqualTo("not_found");
        HttpResponse<String> wrongMethod = get("/api/containers/webhooks/github/some-service");
        assertThat(wrongMethod.statusCode()).isEqualTo(404);
        assertThat(json(wrongMethod).get("success").asBoolean()).isFalse();
    }

    private static void assertJsonError(HttpResponse<String> r, int status, String code, String mentions) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        JsonNode body = json(r);
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("error").asText()).contains(mentions);
    }

    /** java.net.URI refuses malformed escapes, so these requests are written to a socket as they are. */
    private static String rawGet(String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", hub.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + hub.token() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void urlsThatDoNotDecodeOrHoldNulAreRefusedWithJsonBeforeAnyRoute() throws IOException {
        for (String target : new String[] {"/observe/health?%zz=1", "/observe/jolokia?%zz=1",
                "/api/containers/services?limit=%zz", "/api/containers/services/%00", "/api/pipeline-runs?job=a%00b"}) {
            String answer = rawGet(target);
            assertThat(answer).as(target).startsWith("HTTP/1.1 400 ")
                    .containsIgnoringCase("content-type: application/json");
            JsonNode body = TestHub.MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(body.get("code").asText()).isEqualTo("bad_request");
            assertThat(body.get("error").asText()).containsAnyOf("percent-encoding", "NUL");
        }
        assertThat(rawGet("/api/containers/services?limit=1")).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void bodiesVertxCannotDecodeGetJsonErrorsNotPlainText() {
        String longField = "payload=" + "x".repeat(20_000);
        for (String contentType : new String[] {"application/x-www-form-urlencoded",
                "multipart/form-data; boundary=zz"}) {
            String body = contentType.startsWith("multipart")
                    ? "--zz\r\nContent-Disposition: form-data; name=\"payload\"\r\n\r\n" + "x".repeat(20_000)
                            + "\r\n--zz--\r\n"
                    : longField;
            HttpResponse<String> r = hub.send(HttpRequest.newBuilder(URI.create(hub.url("/api/containers/services")))
                    .header("Authorization", "Bearer " + hub.token()).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertJsonError(r, 400, "bad_request", "form body could not be decoded");
        }
        assertThat(json(hub.admin("GET", "/api/containers/services", null)).get("total").asInt()).isZero();
    }

    @Test
    void jolokiaRequestsItCannotParseAre400NotServerErrors() {
        HttpResponse<String> empty = hub.send(HttpRequest.newBuilder(URI.create(hub.url("/observe/jolokia")))
                .header("Authorization", "Bearer " + hub.token()).POST(HttpRequest.BodyPublishers.noBody()));
        assertJsonError(empty, 400, "missing_body", "JSON request body");

        for (String body : new String[] {"{", "{\"type\":\"nope\"}", "{\"type\":\"read\",\"mbean\":\"not a name\"}"}) {
            HttpResponse<String> r = post("/observe/jolokia", body);
            assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
            assertThat(r.body()).doesNotContain("\tat ");
        }
        assertThat(get("/observe/jolokia/nope").statusCode()).isEqualTo(400);
        HttpResponse<String> version = post("/observe/jolokia", "{\"type\":\"version\"}");
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(json(version).get("status").asInt()).isEqualTo(200);
    }
}
