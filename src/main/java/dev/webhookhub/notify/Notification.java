package dev.webhookhub.notify;

import dev.webhookhub.events.HubEvent;

/** One event to send over one setting's channel ({@code email}, {@code slack}, {@code teams}, {@code webhook}). */
public record Notification(NotificationSetting setting, HubEvent event) {

    public String channel() {
        return setting.type();
    }
}
