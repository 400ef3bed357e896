package dev.webhookhub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.events.HubEvent;
import dev.webhookhub.support.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationTemplatesTest {

    private final NotificationContent content = new NotificationContent(new ObjectMapper());

    private static HubEvent event(String type, String subject, Map<String, Object> data) {
        return new HubEvent("e1", type, Instant.parse("2026-02-12T08:02:30Z"), "service:s1", subject, "s1", null, data);
    }

    private RenderedMessage render(NotificationTemplates t, HubEvent e) {
        return t.render(e.type(), content.values(e, Map.of()));
    }

    @Test
    void theShippedTemplatesFollowTheProductDocument() {
        NotificationTemplates t = new NotificationTemplates(
                TestHub.projectDir().resolve("config/templates/notifications"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("execution_id", 45);
        data.put("items_synced", 10);
        data.put("items_failed", 0);
        data.put("started_at", "2026-02-12T08:00:00Z");
        data.put("finished_at", "2026-02-12T08:02:30Z");
        HubEvent done = new HubEvent("e2", "sync_completed", Instant.now(), "sync:1", "Azure Bugs to ServiceDesk",
                null, "1", data);
        RenderedMessage m = render(t, done);
        assertThat(m.subject()).isEqualTo("✓ Sync Completed: Azure Bugs to ServiceDesk");
        assertThat(m.text()).isEqualTo("Sync Completed Successfully\nConfiguration: Azure Bugs to ServiceDesk\n"
                + "Execution ID: 45\nItems Synced: 10\nItems Failed: 0\nStarted: 2026-02-12 08:00:00 UTC\n"
                + "Completed: 2026-02-12 08:02:30 UTC\nDuration: 2m 30s\n");

        RenderedMessage deploy = render(t, event("deployment_rollback_failed", "shop",
                Map.of("commit", "abcdef1234567890", "status", "failed")));
        assertThat(deploy.subject()).isEqualTo("✗ Deployment Rollback Failed: shop (abcdef1)");
        assertThat(deploy.text()).contains("Service: shop", "Commit: abcdef1234567890", "Status: failed")
                .doesNotContain("Branch:", "Link:");

        // an event without its own or a family template uses default.*
        RenderedMessage other = render(t, new HubEvent("e3", "endpoint.disabled", Instant.now(), "endpoint:x",
                "https://hooks.example.test/x", null, null, Map.of("reason", "endpoint answered 410 Gone")));
        assertThat(other.subject()).isEqualTo("✗ Endpoint Disabled: https://hooks.example.test/x");
        assertThat(other.text()).contains("Endpoint: https://hooks.example.test/x", "Reason: endpoint answered 410 Gone");
    }

    @Test
    void htmlValuesAreEscapedAndOnlyHttpLinksAreUsed() {
        NotificationTemplates t = new NotificationTemplates(
                TestHub.projectDir().resolve("config/templates/notifications"));
        RenderedMessage m = render(t, event("build_failed", "<script>alert(1)</script>",
                Map.of("error", "a & b <c>", "url", "javascript:alert(1)")));
        assertThat(m.html()).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "a &amp; b &lt;c&gt;")
                .doesNotContain("<script>", "javascript:");
        assertThat(m.text()).contains("Error: a & b <c>");
        assertThat(m.subject()).doesNotContain("\n");
    }

    @Test
    void templatesAreReadAgainWhenEditedAndFallBackWhenMissing(@TempDir Path dir) throws Exception {
        NotificationTemplates t = new NotificationTemplates(dir);
        HubEvent e = event("build_completed", "shop", Map.of("status", "success"));
        assertThat(render(t, e).subject()).isEqualTo("✓ Build Completed: shop");

        Path subject = dir.resolve("build.subject.txt");
        Files.writeString(subject, "Build of ${subject}: ${status}\n");
        assertThat(render(t, e).subject()).isEqualTo("Build of shop: success");

        Files.writeString(subject, "[${event_type}] ${subject}");
        Files.setLastModifiedTime(subject, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(render(t, e).subject()).isEqualTo("[build_completed] shop");

        Files.writeString(dir.resolve("build_completed.subject.txt"), "Done: ${subject}");
        assertThat(render(t, e).subject()).isEqualTo("Done: shop");
        assertThat(render(t, event("build_failed", "shop", Map.of())).subject()).isEqualTo("[build_failed] shop");
    }

    @Test
    void durationsAndTitles() {
        assertThat(NotificationContent.title("delivery.exhausted")).isEqualTo("Delivery Exhausted");
        assertThat(NotificationContent.human(java.time.Duration.ofSeconds(150))).isEqualTo("2m 30s");
        assertThat(NotificationContent.human(java.time.Duration.ofSeconds(3700))).isEqualTo("1h 1m 40s");
        assertThat(NotificationContent.duration(event("sync_failed", "x", Map.of("duration_ms", 4000))))
                .isEqualTo("4s");
        assertThat(NotificationContent.icon("pipeline_completed", "failure")).isEqualTo("✗");
        assertThat(NotificationContent.icon("deployment_started", null)).isEqualTo("▶");
    }
}
