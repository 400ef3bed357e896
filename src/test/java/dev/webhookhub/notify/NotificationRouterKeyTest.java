package dev.webhookhub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookhub.events.HubEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The folding key: identical events fold, events about another deployment, commit or execution do not. */
class NotificationRouterKeyTest {

    private final NotificationRouter router = new NotificationRouter(null);

    private static HubEvent event(String id, Map<String, Object> data) {
        return new HubEvent(id, "deployment_completed", Instant.now(), "service:s1", "shop", "s1", null, data);
    }

    @Test
    void identicalEventsShareAKey() {
        assertThat(router.dedupeKey(event("e1", Map.of("status", "running", "deployment_id", "d1", "commit", "abc"))))
                .isEqualTo(router.dedupeKey(event("e2", Map.of("status", "running", "deployment_id", "d1",
                        "commit", "abc"))));
    }

    @Test
    void anotherDeploymentCommitOrExecutionIsAnotherMessage() {
        String first = router.dedupeKey(event("e1", Map.of("status", "running", "deployment_id", "d1",
                "commit", "abc")));
        assertThat(router.dedupeKey(event("e2", Map.of("status", "running", "deployment_id", "d2", "commit", "abc"))))
                .isNotEqualTo(first);
        assertThat(router.dedupeKey(event("e3", Map.of("status", "running", "deployment_id", "d1", "commit", "def"))))
                .isNotEqualTo(first);
        assertThat(router.dedupeKey(event("e4", Map.of("status", "ok", "execution_id", "x1"))))
                .isNotEqualTo(router.dedupeKey(event("e5", Map.of("status", "ok", "execution_id", "x2"))));
    }

    @Test
    void eventsWithoutASubjectAreNeverFolded() {
        HubEvent a = new HubEvent("e1", "sync_failed", Instant.now(), null, null, null, null, Map.of());
        HubEvent b = new HubEvent("e2", "sync_failed", Instant.now(), null, null, null, null, Map.of());
        assertThat(router.dedupeKey(a)).isNotEqualTo(router.dedupeKey(b));
    }
}
