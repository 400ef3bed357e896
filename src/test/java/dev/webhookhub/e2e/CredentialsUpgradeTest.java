package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows stored in plain text before migration V10 (endpoint URL and headers, chat webhook URLs) are encrypted at the
 * next start, and still work.
 */
class CredentialsUpgradeTest {

    @TempDir
    Path dataDir;

    private static final Map<String, String> FAST = Map.of("hub.outbound.poll-interval-ms", "50",
            "hub.notify.dedupe-window", "0s");

    @Test
    void plaintextRowsAreEncryptedAtStartAndKeepWorking() throws Exception {
        try (Receiver rx = Receiver.always(200)) {
            String port = rx.url().replaceAll("^http://127\\.0\\.0\\.1:(\\d+)/.*$", "$1");
            String endpointUrl = "http://old-user:old-pass@127.0.0.1:" + port + "/legacy/t0ken-0123456789abcdef";
            String slackUrl = "http://127.0.0.1:" + port + "/services/T000/B000/oldSlackS3cret";
            String endpointId;
            String settingId;
            String config;
            try (TestHub hub = TestHub.start(dataDir, FAST)) {
                config = hub.createSyncConfig("upgrade");
                HttpResponse<String> r = hub.admin("POST", "/api/outbound/endpoints", "{\"url\":\"" + endpointUrl
                        + "\",\"event_types\":[\"demo.upgrade\"]}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                endpointId = TestHub.json(r).get("id").asText();
                r = hub.admin("POST", "/api/notifications", "{\"notification_type\":\"slack\",\"sync_config_id\":"
                        + "\"" + config + "\",\"event_triggers\":[\"sync_failed\"],\"recipients\":[\"" + slackUrl + "\"]}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                settingId = TestHub.json(r).get("id").asText();
                // put the rows back as a hub before V10 stored them
                update(hub, "UPDATE outbound_endpoints SET url = ?, url_enc = NULL, headers = ?, headers_enc = NULL "
                        + "WHERE id = ?", endpointUrl, "{\"X-Api-Key\":\"old-api-key\"}", endpointId);
                update(hub, "UPDATE notification_settings SET recipients = ?, recipients_enc = NULL WHERE id = ?",
                        "[\"" + slackUrl + "\"]", settingId);
                assertThat(dump(hub)).contains("old-pass", "old-api-key", "oldSlackS3cret");
            }
            try (TestHub hub = TestHub.start(dataDir, FAST)) {
                assertThat(dump(hub)).doesNotContain("old-pass", "old-user", "old-api-key", "oldSlackS3cret",
                        "t0ken-0123456789abcdef");
                JsonNode e = TestHub.json(hub.admin("GET", "/api/outbound/endpoints/" + endpointId, null));
                assertThat(e.get("url").asText()).isEqualTo("http://****@127.0.0.1:" + port + "/legacy/****");
                assertThat(e.get("headers").get("X-Api-Key").asText()).isEqualTo("****");

                hub.context().getRegistry().lookupByNameAndType("outboundPublisher", OutboundPublisher.class)
                        .publish("demo.upgrade", "{}");
                hub.context().getRegistry().lookupByNameAndType("eventBus", EventBus.class).publish("sync_failed",
                        "sync:" + config, "Upgrade", null, config, Map.of("error", "x"));
                Await.until(() -> rx.requests().size() == 2, Duration.ofSeconds(15), "both delivered");
                Receiver.Request legacy = rx.requests().stream().filter(q -> q.target().startsWith("/legacy/"))
                        .findFirst().orElseThrow();
                assertThat(legacy.target()).isEqualTo("/legacy/t0ken-0123456789abcdef");
                assertThat(legacy.header("x-api-key")).isEqualTo("old-api-key");
                assertThat(legacy.header("authorization")).startsWith("Basic ");
                assertThat(rx.requests().stream().anyMatch(q -> q.target().equals("/services/T000/B000/oldSlackS3cret")))
                        .isTrue();
            }
        }
    }

    private static void update(TestHub hub, String sql, String... params) throws Exception {
        try (Connection c = hub.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        try (Connection c = hub.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "CHECKPOINT")) {
            ps.execute();
        }
    }

    private static String dump(TestHub hub) throws Exception {
        StringBuilder b = new StringBuilder();
        for (String table : new String[] { "outbound_endpoints", "notification_settings" }) {
            try (Connection c = hub.dataSource().getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        b.append(rs.getString(i)).append('\n');
                    }
                }
            }
        }
        return b.toString();
    }
}
