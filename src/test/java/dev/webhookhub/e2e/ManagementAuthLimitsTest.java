package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webhookhub.security.AuthFailures;
import dev.webhookhub.support.LogCapture;
import dev.webhookhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closed probes (hub.ops.open-probes=false), failed authentication logged once and refused with 429 past the limit
 * (hub.auth.failure-limit=3 here), and a short admin token refused at start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagementAuthLimitsTest {

    static final String WRONG = "Bearer wrong-token-that-must-never-be-logged-0123456789";

    @TempDir
    static Path dataDir;
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(dataDir, Map.of("hub.ops.open-probes", "false", "hub.auth.failure-limit", "3"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static HttpResponse<String> get(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url(path))).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return hub.send(b);
    }

    @Test
    @Order(1)
    void closedProbesNeedCredentialsAndNoBasicIsOfferedWithoutAnOperatorPassword() {
        for (String path : new String[] {"/observe/health/live", "/observe/health/ready", "/observe/metrics",
                "/observe/health/live/"}) {
            HttpResponse<String> anonymous = get(path, null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(json(anonymous).get("code").asText()).isEqualTo("unauthorized");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as("basic is off").isEmpty();
            assertThat(get(path, "Bearer " + hub.token()).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    @Order(3)
    void failedAuthenticationIsLoggedOnceThenRefusedWith429UntilTheMinuteHasPassed() {
        List<LogCapture.Line> warnings;
        try (LogCapture log = LogCapture.start(Level.INFO)) {
            // without hub.ops.password, basic credentials ("operator:") are not accepted at all
            assertThat(get("/observe/health", "Basic b3BlcmF0b3I6").statusCode()).isEqualTo(401);
            assertThat(get("/api/containers/services", WRONG).statusCode()).isEqualTo(401);
            warnings = log.lines().stream().filter(l -> l.logger().equals(AuthFailures.class.getName())).toList();
            assertThat(warnings).as("one line for the client's first failure of the minute").hasSize(1);
            assertThat(warnings.get(0).level()).isEqualTo(Level.WARN);
            assertThat(warnings.get(0).message()).contains("127.0.0.1").contains("management");
            assertThat(log.all()).doesNotContain("wrong-token-that-must-never-be-logged");

            // the third failure reaches the limit (3): from now on the client is refused, even with the right token
            assertThat(get("/observe/jolokia/version", WRONG).statusCode()).isEqualTo(401);
            for (String path : new String[] {"/api/containers/services", "/observe/health"}) {
                for (String auth : new String[] {WRONG, "Bearer " + hub.token()}) {
                    HttpResponse<String> r = get(path, auth);
                    assertThat(r.statusCode()).as(path).isEqualTo(429);
                    assertThat(json(r).get("code").asText()).isEqualTo("too_many_requests");
                    assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                            assertThat(Integer.parseInt(v)).isBetween(1, 60));
                }
            }
            List<LogCapture.Line> all = log.lines().stream()
                    .filter(l -> l.logger().equals(AuthFailures.class.getName())).toList();
            assertThat(all).as("the first failure, and the client being refused").hasSize(2);
            assertThat(all.get(1).message()).contains("3 failed authentications from 127.0.0.1").contains("429");
            assertThat(log.all()).doesNotContain("wrong-token-that-must-never-be-logged");
        }
    }

    @Test
    @Order(2)
    void healthAnswersCarryNoStackTraceEvenWhenAskedFor() {
        // a failing check of the test's own, with an exception (the hub's real checks are all up here)
        org.apache.camel.health.HealthCheckRegistry.get(hub.context()).register(
                new org.apache.camel.impl.health.AbstractHealthCheck("test", "boom") {
                    @Override
                    protected void doCall(org.apache.camel.health.HealthCheckResultBuilder builder,
                            Map<String, Object> options) {
                        builder.down().message("boom").error(new IllegalStateException("boom inside"));
                    }
                });
        for (String path : new String[] {"/observe/health/ready?stackTrace=true", "/observe/health?stackTrace=true",
                "/observe/health/ready?STACKTRACE=true&exposureLevel=full"}) {
            HttpResponse<String> r = hub.send(HttpRequest.newBuilder(URI.create(hub.url(path)))
                    .header("Authorization", "Bearer " + hub.token()).GET());
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(503);
            assertThat(r.body()).as(path).contains("boom").doesNotContain("\tat ").doesNotContain("at java.")
                    .doesNotContain("at org.");
        }
    }

    @Test
    void anAdminTokenShorterThan32CharactersStopsTheHubFromStarting(@TempDir Path otherData) {
        assertThatThrownBy(() -> TestHub.start(otherData, Map.of("hub.admin-token", "short-admin-token-31-characters")))
                .hasStackTraceContaining("at least 32").hasStackTraceContaining("HUB_ADMIN_TOKEN")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("short-admin-token-31-characters"));
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
