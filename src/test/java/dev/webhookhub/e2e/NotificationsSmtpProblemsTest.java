package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Mailbox;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hub without SMTP settings, and one whose SMTP server refuses its login. */
class NotificationsSmtpProblemsTest {

    private static final String PASSWORD = "wrong-pass-7f3c9a";

    @TempDir
    Path dataDir;

    private static Map<String, String> fast() {
        Map<String, String> m = new HashMap<>();
        m.put("hub.notify.smtp.redeliveries", "1");
        m.put("hub.notify.smtp.redelivery-delay-ms", "100");
        m.put("hub.notify.smtp.timeout-ms", "3000");
        m.put("hub.notify.retry-schedule", "0s,300ms,300ms,300ms,300ms,300ms,300ms");
        m.put("hub.notify.retry-jitter", "0");
        m.put("hub.notify.poll-interval-ms", "100");
        m.put("hub.outbound.poll-interval-ms", "50");
        return m;
    }

    @Test
    void withoutSmtpTheHubRunsTheTestEndpointSaysSoAndEmailWaits() {
        Map<String, String> settings = fast();
        settings.put("hub.notify.smtp.host", "");
        try (TestHub hub = TestHub.start(dataDir, settings); Receiver slack = Receiver.always(200)) {
            HttpResponse<String> test = hub.admin("POST", "/api/notifications/test",
                    "{\"recipients\":[\"ops@example.test\"]}");
            assertThat(test.statusCode()).isEqualTo(200);
            JsonNode answer = TestHub.json(test);
            assertThat(answer.get("accepted").asBoolean()).isFalse();
            assertThat(answer.get("smtp_configured").asBoolean()).isFalse();
            assertThat(answer.get("code").asText()).isEqualTo("smtp_not_configured");
            assertThat(answer.get("error").asText()).contains("SMTP is not configured");

            JsonNode mail = created(hub, "{\"notification_type\":\"email\",\"event_triggers\":[\"build_failed\"],"
                    + "\"recipients\":[\"ops@example.test\"]}");
            created(hub, "{\"notification_type\":\"slack\",\"event_triggers\":[\"build_failed\"],"
                    + "\"recipients\":[\"" + slack.url() + "\"]}");
            bus(hub).publish("build_failed", "service:x", "shop", null, null, Map.of("status", "failure"));

            await(() -> slack.requests().size() == 1, "the Slack message");
            await(() -> messages(hub, mail.get("id").asText()).size() == 1, "the stored e-mail");
            JsonNode row = messages(hub, mail.get("id").asText()).get(0);
            assertThat(row.get("status").asText()).isEqualTo("pending");
            assertThat(row.get("attempts").asInt()).isZero();
            assertThat(row.get("last_error").asText()).contains("SMTP is not configured");
            assertThat(row.get("subject").asText()).isEqualTo("✗ Build Failed: shop");
        }
    }

    @Test
    void aRefusingServerIsReportedWithItsErrorAndTheMessageIsRetried() {
        try (Mailbox mailbox = Mailbox.onFreePort("hub", "the-right-one").start()) {
            Map<String, String> settings = fast();
            settings.put("hub.notify.smtp.host", "127.0.0.1");
            settings.put("hub.notify.smtp.port", String.valueOf(mailbox.port()));
            settings.put("hub.notify.smtp.user", "hub");
            settings.put("hub.notify.smtp.password", PASSWORD);
            try (TestHub hub = TestHub.start(dataDir, settings)) {
                HttpResponse<String> test = hub.admin("POST", "/api/notifications/test",
                        "{\"recipients\":[\"ops@example.test\"]}");
                assertThat(test.statusCode()).isEqualTo(200);
                JsonNode answer = TestHub.json(test);
                assertThat(answer.get("accepted").asBoolean()).as(test.body()).isFalse();
                assertThat(answer.get("smtp_configured").asBoolean()).isTrue();
                assertThat(answer.get("error").asText()).contains("535");
                assertThat(test.body()).doesNotContain(PASSWORD);

                String config = hub.createSyncConfig("nightly");
                JsonNode mail = created(hub, "{\"notification_type\":\"email\",\"event_triggers\":[\"sync_failed\"],"
                        + "\"recipients\":[\"ops@example.test\"],\"sync_config_id\":\"" + config + "\"}");
                bus(hub).publish("sync_failed", "sync:" + config, "Nightly", null, config, Map.of("error", "boom"));
                String id = mail.get("id").asText();
                await(() -> messages(hub, id).path(0).path("attempts").asInt() >= 2, "two refused rounds");
                JsonNode row = messages(hub, id).get(0);
                assertThat(row.get("status").asText()).isIn("pending", "sending");
                assertThat(row.get("last_error").asText()).contains("535").doesNotContain(PASSWORD);
                assertThat(mailbox.withSubject("Sync Failed")).isEmpty();
            }
        }
    }

    private static JsonNode created(TestHub hub, String json) {
        HttpResponse<String> r = hub.admin("POST", "/api/notifications", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestHub.json(r);
    }

    private static JsonNode messages(TestHub hub, String id) {
        return TestHub.json(hub.admin("GET", "/api/notifications/" + id + "/messages", null)).get("messages");
    }

    private static EventBus bus(TestHub hub) {
        return hub.context().getRegistry().lookupByNameAndType("eventBus", EventBus.class);
    }

    private static void await(BooleanSupplier condition, String what) {
        Await.until(condition, Duration.ofSeconds(15), what);
    }
}
