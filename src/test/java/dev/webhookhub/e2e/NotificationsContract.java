package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.events.HubEvent;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Mailbox;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.TestHub;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Notifications end to end: the real hub, a real SMTP server (GreenMail) and real local HTTP receivers. Events are
 * published on the hub's bus as the capabilities do. Each test uses its own scope (service or sync config) and its
 * own recipients, so tests do not see each other's messages.
 */
abstract class NotificationsContract {

    static final Duration WAIT = Duration.ofSeconds(15);
    static TestHub hub;
    static Mailbox mailbox;

    static Map<String, String> notifySettings(Mailbox mail) {
        mailbox = mail;
        Map<String, String> m = new HashMap<>();
        m.put("hub.notify.smtp.host", "127.0.0.1");
        m.put("hub.notify.smtp.port", String.valueOf(mail.port()));
        m.put("hub.notify.smtp.from", "Webhook Hub <hub@example.test>");
        m.put("hub.notify.smtp.timeout-ms", "3000");
        m.put("hub.notify.smtp.redeliveries", "1");
        m.put("hub.notify.smtp.redelivery-delay-ms", "100");
        m.put("hub.notify.retry-schedule", "0s,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms,300ms");
        m.put("hub.notify.retry-jitter", "0");
        m.put("hub.notify.poll-interval-ms", "100");
        m.put("hub.notify.dedupe-window", "1m");
        m.put("hub.outbound.retry-schedule", "0s,100ms,100ms");
        m.put("hub.outbound.retry-jitter", "0");
        m.put("hub.outbound.poll-interval-ms", "50");
        return m;
    }

    @AfterAll
    static void stopAll() {
        if (hub != null) {
            hub.close();
        }
        if (mailbox != null) {
            mailbox.close();
        }
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static HubEvent publish(String type, String subjectKey, String subject, String serviceId, String syncConfigId,
            Map<String, Object> data) {
        return hub.context().getRegistry().lookupByNameAndType("eventBus", EventBus.class).publish(type, subjectKey,
                subject, serviceId, syncConfigId, data);
    }

    static JsonNode createSetting(String json) {
        HttpResponse<String> r = hub.admin("POST", "/api/notifications", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestHub.json(r);
    }

    static JsonNode messages(String settingId) {
        HttpResponse<String> r = hub.admin("GET", "/api/notifications/" + settingId + "/messages", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestHub.json(r).get("messages");
    }

    static void await(BooleanSupplier condition, String what) {
        Await.until(condition, WAIT, what);
    }

    static Map<String, Object> syncFailedData(String error) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("execution_id", 46);
        d.put("items_synced", 3);
        d.put("items_failed", 7);
        d.put("started_at", "2026-02-12T08:00:00Z");
        d.put("finished_at", "2026-02-12T08:02:30Z");
        d.put("error", error);
        return d;
    }

    static Map<String, Object> buildData(String status) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("commit", "3f7c1e2a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e");
        d.put("branch", "main");
        d.put("status", status);
        d.put("url", "https://ci.example.test/job/shop/42/");
        return d;
    }

    // ---- e-mail

    @Test
    void aSyncFailureArrivesByEmailWithTheProductTemplateAndBothParts() throws Exception {
        String config = hub.createSyncConfig(unique("cfg"));
        String name = "Azure Bugs to ServiceDesk " + config;
        String a = unique("ops") + "@example.test";
        String b = unique("team") + "@example.test";
        JsonNode setting = createSetting("{\"sync_config_id\":\"" + config + "\",\"notification_type\":\"email\","
                + "\"event_triggers\":[\"sync_completed\",\"sync_failed\"],\"recipients\":[\"" + a + "\",\"" + b
                + "\"],\"settings\":{}}");
        assertThat(setting.get("scope").asText()).isEqualTo("sync_config");

        publish("sync_failed", "sync:" + config, name, null, config,
                syncFailedData("Failed to connect to <target> connector"));

        List<MimeMessage> copies = mailbox.await("Sync Failed: " + name, 2, WAIT);
        MimeMessage mail = copies.get(0);
        assertThat(mail.getSubject()).isEqualTo("✗ Sync Failed: " + name);
        assertThat(Mailbox.to(mail)).containsExactlyInAnyOrder(a, b);
        assertThat(mail.getFrom()[0].toString()).contains("hub@example.test");
        Map<String, String> parts = Mailbox.parts(mail);
        assertThat(parts).containsKeys("text/plain", "text/html");
        assertThat(parts.get("text/plain")).contains("Sync Failed", "Configuration: " + name, "Execution ID: 46",
                "Items Synced: 3", "Items Failed: 7", "Started: 2026-02-12 08:00:00 UTC", "Duration: 2m 30s",
                "Error: Failed to connect to <target> connector",
                "Action Required: Please check the execution logs for more details.");
        assertThat(parts.get("text/html")).contains("Failed to connect to &lt;target&gt; connector", "46")
                .doesNotContain("<target>");

        await(() -> messages(setting.get("id").asText()).path(0).path("status").asText().equals("sent"),
                "the outbox row marked sent");
        JsonNode row = messages(setting.get("id").asText()).get(0);
        assertThat(row.get("event_type").asText()).isEqualTo("sync_failed");
        assertThat(row.get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void aSyncCompletionNamesTheConfigAndItsFigures() throws Exception {
        String config = hub.createSyncConfig(unique("cfg"));
        String to = unique("ok") + "@example.test";
        createSetting("{\"sync_config_id\":\"" + config + "\",\"notification_type\":\"email\","
                + "\"event_triggers\":[\"sync_completed\"],\"recipients\":[\"" + to + "\"]}");
        Map<String, Object> data = syncFailedData(null);
        data.remove("error");
        data.put("items_synced", 10);
        data.put("items_failed", 0);
        publish("sync_completed", "sync:" + config, "Nightly " + config, null, config, data);

        MimeMessage mail = mailbox.await("Sync Completed: Nightly " + config, 1, WAIT).get(0);
        assertThat(mail.getSubject()).isEqualTo("✓ Sync Completed: Nightly " + config);
        String text = Mailbox.parts(mail).get("text/plain");
        assertThat(text).contains("Sync Completed Successfully", "Items Synced: 10", "Items Failed: 0",
                "Completed: 2026-02-12 08:02:30 UTC", "Duration: 2m 30s").doesNotContain("Error:");
    }

    @Test
    void settingsMatchByScope() throws Exception {
        String a = hub.createService(unique("svc-a"), "main");
        String b = hub.createService(unique("svc-b"), "main");
        String scopedTo = unique("scoped") + "@example.test";
        String globalTo = unique("global") + "@example.test";
        JsonNode scoped = createSetting("{\"service_id\":\"" + a + "\",\"notification_type\":\"email\","
                + "\"event_triggers\":[\"build_failed\"],\"recipients\":[\"" + scopedTo + "\"]}");
        JsonNode global = createSetting("{\"scope\":\"global\",\"notification_type\":\"email\","
                + "\"event_triggers\":[\"build_failed\"],\"recipients\":[\"" + globalTo + "\"]}");
        try {
            publish("build_failed", "service:" + b, "svc-b " + b, b, null, buildData("failure"));
            publish("build_failed", "service:" + a, "svc-a " + a, a, null, buildData("failure"));

            List<MimeMessage> toGlobal = mailbox.await("Build Failed: svc-", 2, WAIT).stream()
                    .filter(m -> Mailbox.to(m).contains(globalTo)).toList();
            await(() -> mailbox.withSubject("svc-a " + a).size() == 2, "the service-scoped and the global e-mail");
            assertThat(toGlobal).isNotEmpty();
            // both events are routed by now: the scoped setting got only its service's event
            await(() -> messages(global.get("id").asText()).size() == 2, "two messages for the global setting");
            JsonNode scopedMessages = messages(scoped.get("id").asText());
            assertThat(scopedMessages).hasSize(1);
            assertThat(scopedMessages.get(0).get("subject").asText())
                    .isEqualTo("✗ Build Failed: svc-a " + a + " (3f7c1e2)");
            assertThat(mailbox.withSubject("svc-b " + b)).allSatisfy(m -> assertThat(Mailbox.to(m))
                    .containsExactly(globalTo));

            MimeMessage mail = mailbox.withSubject("svc-a " + a).get(0);
            assertThat(Mailbox.parts(mail).get("text/plain")).contains("Service: svc-a " + a, "Status: failure",
                    "Commit: 3f7c1e2a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e", "Link: https://ci.example.test/job/shop/42/");
            assertThat(Mailbox.parts(mail).get("text/html")).contains("href=\"https://ci.example.test/job/shop/42/\"");
        } finally {
            assertThat(hub.admin("DELETE", "/api/notifications/" + global.get("id").asText(), null).statusCode())
                    .isEqualTo(204);
        }
    }

    @Test
    void repeatsWithinTheWindowAreFoldedIntoOneMessage() {
        String svc = hub.createService(unique("svc-dd"), "main");
        JsonNode setting = createSetting("{\"service_id\":\"" + svc + "\",\"notification_type\":\"email\","
                + "\"event_triggers\":[\"deployment_failed\"],\"recipients\":[\"" + unique("dd")
                + "@example.test\"]}");
        for (int i = 0; i < 3; i++) {
            publish("deployment_failed", "service:" + svc, "svc " + svc, svc, null, buildData("failed"));
        }
        publish("deployment_failed", "service:" + svc, "svc " + svc, svc, null, buildData("health_check_failed"));

        String id = setting.get("id").asText();
        await(() -> messages(id).size() >= 2, "the second (different status) message");
        assertThat(messages(id)).hasSize(2);
        mailbox.await("Deployment Failed: svc " + svc, 2, WAIT);
    }

    // ---- Slack, Teams, webhook

    @Test
    void slackTeamsAndWebhookPayloadsGoThroughTheOutboundEngine() throws Exception {
        String svc = hub.createService(unique("svc-chat"), "main");
        try (Receiver slack = Receiver.always(200); Receiver teams = Receiver.always(200);
                Receiver webhook = Receiver.always(200)) {
            JsonNode slackSetting = createSetting("{\"service_id\":\"" + svc + "\",\"notification_type\":\"slack\","
                    + "\"event_triggers\":[\"deployment_completed\"],\"recipients\":[\"" + slack.url() + "\"],"
                    + "\"settings\":{\"username\":\"hub-bot\"}}");
            createSetting("{\"service_id\":\"" + svc + "\",\"notification_type\":\"teams\","
                    + "\"event_triggers\":[\"deployment_completed\"],\"recipients\":[\"" + teams.url() + "\"]}");
            createSetting("{\"service_id\":\"" + svc + "\",\"notification_type\":\"webhook\","
                    + "\"event_triggers\":[\"deployment_completed\"],\"recipients\":[\"" + webhook.url() + "\"]}");

            publish("deployment_completed", "service:" + svc, "shop " + svc, svc, null, buildData("success"));

            await(() -> slack.requests().size() == 1 && teams.requests().size() == 1
                    && webhook.requests().size() == 1, "one request on each receiver");

            JsonNode s = TestHub.MAPPER.readTree(slack.requests().get(0).body());
            assertThat(s.get("text").asText()).isEqualTo("✓ Deployment Completed: shop " + svc + " (3f7c1e2)");
            assertThat(s.get("username").asText()).isEqualTo("hub-bot");
            assertThat(s.get("blocks").get(0).get("type").asText()).isEqualTo("header");
            assertThat(s.get("blocks").get(1).get("text").get("type").asText()).isEqualTo("mrkdwn");
            assertThat(s.get("blocks").get(1).get("text").get("text").asText())
                    .contains("*Service:* shop " + svc, "*Status:* success", "*Commit:* 3f7c1e2a9b8c");
            assertThat(s.get("blocks").get(2).get("elements").get(0).get("url").asText())
                    .isEqualTo("https://ci.example.test/job/shop/42/");
            assertThat(slack.requests().get(0).header("webhook-signature")).startsWith("v1,");

            JsonNode t = TestHub.MAPPER.readTree(teams.requests().get(0).body());
            assertThat(t.get("type").asText()).isEqualTo("message");
            JsonNode card = t.get("attachments").get(0);
            assertThat(card.get("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
            assertThat(card.get("content").get("type").asText()).isEqualTo("AdaptiveCard");
            assertThat(card.get("content").get("body").get(0).get("text").asText())
                    .isEqualTo("✓ Deployment Completed: shop " + svc + " (3f7c1e2)");
            assertThat(card.get("content").toString()).contains("\"title\":\"Service\"", "\"value\":\"shop " + svc,
                    "Action.OpenUrl");

            JsonNode w = TestHub.MAPPER.readTree(webhook.requests().get(0).body());
            assertThat(w.get("type").asText()).isEqualTo("deployment_completed");
            assertThat(w.get("service_id").asText()).isEqualTo(svc);
            assertThat(w.get("data").get("commit").asText()).startsWith("3f7c1e2");
            assertThat(webhook.requests().get(0).header("x-webhook-hub-event")).isEqualTo("deployment_completed");

            await(() -> messages(slackSetting.get("id").asText()).path(0).path("status").asText().equals("delivered"),
                    "the Slack message delivered in the setting's messages");

            // the endpoint made for the URL subscribes to nothing: broadcast events do not reach it
            JsonNode endpoints = TestHub.json(hub.admin("GET", "/api/outbound/endpoints", null)).get("endpoints");
            for (JsonNode e : endpoints) {
                if (e.get("url").asText().equals(slack.url())) {
                    assertThat(e.get("event_types")).isEmpty();
                }
            }
        }
    }

    @Test
    void smtpDownKeepsTheMessageAndRetriesWhileOtherChannelsGoOn() throws Exception {
        String config = hub.createSyncConfig(unique("cfg-down"));
        String to = unique("down") + "@example.test";
        try (Receiver slack = Receiver.always(200)) {
            JsonNode mail = createSetting("{\"sync_config_id\":\"" + config + "\",\"notification_type\":\"email\","
                    + "\"event_triggers\":[\"sync_failed\"],\"recipients\":[\"" + to + "\"]}");
            createSetting("{\"sync_config_id\":\"" + config + "\",\"notification_type\":\"slack\","
                    + "\"event_triggers\":[\"sync_failed\"],\"recipients\":[\"" + slack.url() + "\"]}");
            mailbox.stop();
            try {
                publish("sync_failed", "sync:" + config, "Down " + config, null, config, syncFailedData("boom"));

                await(() -> slack.requests().size() == 1, "the Slack message while SMTP is down");
                String id = mail.get("id").asText();
                await(() -> messages(id).path(0).path("attempts").asInt() >= 2, "two failed rounds");
                JsonNode row = messages(id).get(0);
                // kept for the next round: waiting for it, or already in it (the test's rounds follow fast)
                assertThat(row.get("status").asText()).isIn("pending", "sending");
                assertThat(row.get("last_error").asText()).isNotBlank();

                HttpResponse<String> test = hub.admin("POST", "/api/notifications/test",
                        "{\"recipients\":[\"" + to + "\"]}");
                assertThat(test.statusCode()).isEqualTo(200);
                assertThat(TestHub.json(test).get("accepted").asBoolean()).isFalse();
                assertThat(TestHub.json(test).get("error").asText()).isNotBlank();
            } finally {
                mailbox.start();
            }
            MimeMessage delivered = mailbox.await("Sync Failed: Down " + config, 1, WAIT).get(0);
            assertThat(Mailbox.to(delivered)).containsExactly(to);
            await(() -> messages(mail.get("id").asText()).path(0).path("status").asText().equals("sent"),
                    "the message sent once SMTP is back");
            assertThat(mailbox.withSubject("Sync Failed: Down " + config)).hasSize(1);
        }
    }

    // ---- API

    @Test
    void theTestEndpointSendsThroughSmtp() throws Exception {
        String to = unique("test") + "@example.test";
        HttpResponse<String> r = hub.admin("POST", "/api/notifications/test", "{\"recipients\":[\"" + to + "\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = TestHub.json(r);
        assertThat(body.get("accepted").asBoolean()).isTrue();
        assertThat(body.get("smtp_configured").asBoolean()).isTrue();
        await(() -> mailbox.withSubject("Webhook Hub test message").stream()
                .anyMatch(m -> Mailbox.to(m).contains(to)), "the test e-mail");
        MimeMessage m = mailbox.withSubject("Webhook Hub test message").stream()
                .filter(x -> Mailbox.to(x).contains(to)).findFirst().orElseThrow();
        assertThat(Mailbox.parts(m)).containsKeys("text/plain", "text/html");

        HttpResponse<String> bad = hub.admin("POST", "/api/notifications/test", "{\"recipients\":[\"not-an-address\"]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(bad).get("error").asText()).contains("recipients[0]");
    }

    @Test
    void settingsCrudFollowsTheProductDocument() {
        String config = hub.createSyncConfig(unique("crud"));
        JsonNode created = createSetting("{\"sync_config_id\":\"" + config + "\",\"notification_type\":\"email\","
                + "\"event_triggers\":[\"sync_completed\",\"sync_failed\"],"
                + "\"recipients\":[\"admin@example.com\",\"team@example.com\"],\"settings\":{}}");
        String id = created.get("id").asText();
        assertThat(created.get("is_active").asBoolean()).isTrue();
        assertThat(created.get("sync_config_id").asText()).isEqualTo(config);

        JsonNode list = TestHub.json(hub.admin("GET", "/api/notifications?sync_config_id=" + config, null))
                .get("notifications");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("recipients")).hasSize(2);

        HttpResponse<String> put = hub.admin("PUT", "/api/notifications/" + id, "{\"is_active\": false}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(TestHub.json(put).get("is_active").asBoolean()).isFalse();
        assertThat(TestHub.json(put).get("event_triggers")).hasSize(2);

        assertThat(hub.admin("DELETE", "/api/notifications/" + id, null).statusCode()).isEqualTo(204);
        assertThat(hub.admin("GET", "/api/notifications/" + id, null).statusCode()).isEqualTo(404);
        assertThat(hub.admin("DELETE", "/api/notifications/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void invalidSettingsAreRejectedAndNothingIsStored() {
        String svc = hub.createService(unique("svc-bad"), "main");
        int before = TestHub.json(hub.admin("GET", "/api/notifications", null)).get("notifications").size();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("{\"notification_type\":\"pager\",\"event_triggers\":[\"build_failed\"],\"recipients\":[\"a@b.io\"]}",
                "notification_type");
        bad.put("{\"event_triggers\":[\"build_failed\"],\"recipients\":[\"a@b.io\"]}", "notification_type");
        bad.put("{\"notification_type\":\"email\",\"event_triggers\":[\"build_exploded\"],\"recipients\":[\"a@b.io\"]}",
                "build_exploded");
        bad.put("{\"notification_type\":\"email\",\"event_triggers\":[],\"recipients\":[\"a@b.io\"]}",
                "event_triggers");
        bad.put("{\"notification_type\":\"email\",\"event_triggers\":[\"build_failed\"],\"recipients\":[\"nobody\"]}",
                "recipients[0]");
        bad.put("{\"notification_type\":\"email\",\"event_triggers\":[\"build_failed\"],\"recipients\":[]}",
                "recipients");
        bad.put("{\"notification_type\":\"slack\",\"event_triggers\":[\"build_failed\"],"
                + "\"recipients\":[\"ftp://hooks.example.test/x\"]}", "recipients[0]");
        bad.put("{\"notification_type\":\"teams\",\"event_triggers\":[\"build_failed\"],"
                + "\"recipients\":[\"a@b.io\"]}", "recipients[0]");
        bad.put("{\"notification_type\":\"email\",\"event_triggers\":[\"build_failed\"],\"recipients\":[\"a@b.io\"],"
                + "\"scope\":\"team\"}", "scope");
        bad.put("{\"notification_type\":\"email\",\"event_triggers\":[\"build_failed\"],\"recipients\":[\"a@b.io\"],"
                + "\"scope\":\"service\"}", "service_id");
        bad.put("{\"notification_type\":\"email\",\"event_triggers\":[\"build_failed\"],\"recipients\":[\"a@b.io\"],"
                + "\"service_id\":\"no-such-service\"}", "service_id");
        bad.put("{\"notification_type\":\"email\",\"event_triggers\":[\"sync_failed\"],\"recipients\":[\"a@b.io\"],"
                + "\"sync_config_id\":\"no-such-config\"}", "sync_config_id");
        bad.put("{\"notification_type\":\"email\",\"event_triggers\":[\"build_failed\"],\"recipients\":[\"a@b.io\"],"
                + "\"service_id\":\"" + svc + "\",\"sync_config_id\":\"7\"}", "not both");
        bad.put("{\"notification_type\":\"email\",\"event_triggers\":[\"build_failed\"],\"recipients\":[\"a@b.io\"],"
                + "\"settings\":[1]}", "settings");
        bad.put("{\"notification_type\":\"email\",\"event_triggers\":[\"build_failed\"],\"recipients\":[\"a@b.io\"],"
                + "\"is_active\":\"yes\"}", "is_active");
        bad.put("{\"notification_type\":\"email\",\"event_triggers\":[\"build_failed\"],\"recipients\":[\"a@b.io\"],"
                + "\"colour\":\"red\"}", "colour");
        bad.put("{\"notification_type\":\"email\"", "JSON");
        bad.forEach((body, field) -> {
            HttpResponse<String> r = hub.admin("POST", "/api/notifications", body);
            assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
            JsonNode error = TestHub.json(r);
            assertThat(error.get("success").asBoolean()).isFalse();
            assertThat(error.get("error").asText()).as(body).contains(field);
        });
        assertThat(TestHub.json(hub.admin("GET", "/api/notifications", null)).get("notifications")).hasSize(before);

        JsonNode ok = createSetting("{\"service_id\":\"" + svc + "\",\"notification_type\":\"email\","
                + "\"event_triggers\":[\"build_failed\"],\"recipients\":[\"a@b.io\"]}");
        String id = ok.get("id").asText();
        HttpResponse<String> put = hub.admin("PUT", "/api/notifications/" + id, "{\"notification_type\":\"slack\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(400);
        assertThat(TestHub.json(put).get("error").asText()).contains("recipients[0]");
        JsonNode unchanged = TestHub.json(hub.admin("GET", "/api/notifications/" + id, null));
        assertThat(unchanged.get("notification_type").asText()).isEqualTo("email");
        assertThat(unchanged.get("updated_at").asText()).isEqualTo(ok.get("updated_at").asText());
        assertThat(hub.admin("PUT", "/api/notifications/nope", "{\"is_active\":false}").statusCode()).isEqualTo(404);
        assertThat(hub.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.url("/api/notifications"))))
                .statusCode()).isEqualTo(401);
    }

    @Test
    void chatWebhookUrlsAreEncryptedAtRestAndMaskedInAnswers() throws Exception {
        String config = hub.createSyncConfig(unique("cfg-secret"));
        String token = "Zq8" + UUID.randomUUID().toString().replace("-", "");
        try (Receiver slack = Receiver.always(200)) {
            String url = slack.url().replace("/hook", "/services/T000/B000/" + token);
            String masked = slack.url().replace("/hook", "/services/T000/B000/****");
            JsonNode s = createSetting("{\"sync_config_id\":\"" + config + "\",\"notification_type\":\"slack\","
                    + "\"event_triggers\":[\"sync_failed\"],\"recipients\":[\"" + url + "\"]}");
            String id = s.get("id").asText();
            assertThat(s.get("recipients").get(0).asText()).isEqualTo(masked);
            assertThat(hub.admin("GET", "/api/notifications/" + id, null).body()).doesNotContain(token)
                    .contains(masked);
            assertThat(hub.admin("GET", "/api/notifications?sync_config_id=" + config, null).body())
                    .doesNotContain(token);

            publish("sync_failed", "sync:" + config, "Secret sync " + config, null, config,
                    syncFailedData("first"));
            await(() -> slack.requests().size() == 1, "the Slack message sent to the real URL");
            assertThat(slack.requests().get(0).target()).isEqualTo("/services/T000/B000/" + token);
            await(() -> messages(id).path(0).path("status").asText().equals("delivered"), "delivered");
            assertThat(messages(id).get(0).get("recipient").asText()).isEqualTo(masked);
            assertThat(hub.admin("GET", "/api/outbound/endpoints", null).body()).doesNotContain(token);

            // neither the setting nor the outbound endpoint made for the URL stores it in plain text
            assertThat(table("notification_settings")).doesNotContain(token);
            assertThat(table("outbound_endpoints")).doesNotContain(token);

            // the masked URL sent back keeps the stored one; a mask standing for nothing stored is refused
            HttpResponse<String> r = hub.admin("PUT", "/api/notifications/" + id,
                    "{\"recipients\":[\"" + masked + "\"],\"event_triggers\":[\"sync_failed\",\"sync_completed\"]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).doesNotContain(token);
            r = hub.admin("PUT", "/api/notifications/" + id,
                    "{\"recipients\":[\"https://hooks.slack.com/services/T000/B000/****\"]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(TestHub.json(r).get("code").asText()).isEqualTo("invalid_recipients");

            publish("sync_failed", "sync:" + config + ":again", "Secret sync " + config, null, config,
                    syncFailedData("second"));
            await(() -> slack.requests().size() == 2, "the second message sent to the same real URL");
            assertThat(slack.requests().get(1).target()).isEqualTo("/services/T000/B000/" + token);
        }
    }

    /** Every value of every row of the table, as text. */
    static String table(String name) throws Exception {
        StringBuilder b = new StringBuilder();
        try (java.sql.Connection c = hub.dataSource().getConnection();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT * FROM " + name)) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    b.append(rs.getString(i)).append('\n');
                }
            }
        }
        return b.toString();
    }
}
