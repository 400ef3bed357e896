package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.TestHub;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    private static HttpResponse<String> get(String path) {
        return hub.send(HttpRequest.newBuilder(URI.create(hub.url(path))).GET());
    }

    private static HttpResponse<String> post(String path, String body) {
        return hub.send(HttpRequest.newBuilder(URI.create(hub.url(path)))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
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
        HttpResponse<String> r = get("/observe/metrics");
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

        JsonNode gc = json(post("/observe/jolokia", "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\","
                + "\"operation\":\"gc\"}"));
        assertThat(gc.get("status").asInt()).isEqualTo(403);
        JsonNode write = json(post("/observe/jolokia", "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\","
                + "\"attribute\":\"Verbose\",\"value\":true}"));
        assertThat(write.get("status").asInt()).isEqualTo(403);
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
}
