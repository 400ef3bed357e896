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

    /**
     * Identical events: same type, same subject, same status. Events without a subject key are never folded.
     */
    public String dedupeKey(HubEvent event) {
        if (event.subjectKey() == null || event.subjectKey().isBlank()) {
            return event.type() + "|event:" + event.id();
        }
        String status = event.text("status");
        return event.type() + "|" + event.subjectKey() + (status == null ? "" : "|" + status);
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
