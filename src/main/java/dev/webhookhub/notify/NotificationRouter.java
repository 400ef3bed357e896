package dev.webhookhub.notify;

import dev.webhookhub.events.HubEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Matches bus events to notification settings (routes/notifications.yaml): {@link #subscribed} is the cheap check
 * the bus consumer makes for every event, {@link #dedupeKey} what identifies repeats, {@link #route} one
 * {@link Notification} per matching setting.
 */
public final class NotificationRouter {

    private final NotificationSettingsCache settings;

    public NotificationRouter(NotificationSettingsCache settings) {
        this.settings = settings;
    }

    /** Whether some active setting wants this event (by type and scope). */
    public boolean subscribed(HubEvent event) {
        for (NotificationSetting s : settings.forEvent(event.type())) {
            if (s.matches(event)) {
                return true;
            }
        }
        return false;
    }

    /** Data fields that make an event itself: two events differing in one of them are never folded. */
    private static final String[] IDENTITY_FIELDS = { "deployment_id", "commit", "execution_id" };

    /**
     * Identical events: same type, same subject, same status, and the same deployment, commit and execution (when
     * the event names them), so two different pushes to one service are two messages. Events without a subject key
     * are never folded.
     */
    public String dedupeKey(HubEvent event) {
        if (event.subjectKey() == null || event.subjectKey().isBlank()) {
            return event.type() + "|event:" + event.id();
        }
        String status = event.text("status");
        StringBuilder key = new StringBuilder(event.type()).append('|').append(event.subjectKey())
                .append(status == null ? "" : "|" + status);
        for (String field : IDENTITY_FIELDS) {
            String v = event.text(field);
            if (v != null) {
                key.append('|').append(field).append('=').append(v);
            }
        }
        return key.toString();
    }

    public List<Notification> route(HubEvent event) {
        List<Notification> out = new ArrayList<>();
        for (NotificationSetting s : settings.forEvent(event.type())) {
            if (s.matches(event)) {
                out.add(new Notification(s, event));
            }
        }
        return out;
    }
}
