package dev.webhookhub.notify;

import dev.webhookhub.events.HubEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One notification setting: which events ({@code eventTriggers}) go to whom ({@code recipients}: e-mail addresses,
 * or Slack/Teams/webhook URLs) over which channel, for which scope: global (no service, no sync config), one service,
 * or one sync config. {@code settingsJson} is the free-form {@code settings} object, kept as JSON text.
 */
public record NotificationSetting(
        String id,
        String type,
        List<String> eventTriggers,
        List<String> recipients,
        String settingsJson,
        boolean active,
        String serviceId,
        String syncConfigId,
        Instant createdAt,
        Instant updatedAt) {

    public static final String EMAIL = "email";
    public static final String SLACK = "slack";
    public static final String TEAMS = "teams";
    public static final String WEBHOOK = "webhook";
    public static final List<String> TYPES = List.of(EMAIL, SLACK, TEAMS, WEBHOOK);

    public static final String SCOPE_GLOBAL = "global";
    public static final String SCOPE_SERVICE = "service";
    public static final String SCOPE_SYNC_CONFIG = "sync_config";
    public static final List<String> SCOPES = List.of(SCOPE_GLOBAL, SCOPE_SERVICE, SCOPE_SYNC_CONFIG);

    public String scope() {
        return serviceId != null ? SCOPE_SERVICE : syncConfigId != null ? SCOPE_SYNC_CONFIG : SCOPE_GLOBAL;
    }

    /** Whether the event is one this setting asks for, in its scope. */
    public boolean matches(HubEvent event) {
        if (!active || !eventTriggers.contains(event.type())) {
            return false;
        }
        if (serviceId != null) {
            return serviceId.equals(event.serviceId());
        }
        if (syncConfigId != null) {
            return syncConfigId.equals(event.syncConfigId());
        }
        return true;
    }

    public boolean isEmail() {
        return EMAIL.equals(type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NotificationSetting s && Objects.equals(id, s.id) && Objects.equals(updatedAt, s.updatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, updatedAt);
    }
}
