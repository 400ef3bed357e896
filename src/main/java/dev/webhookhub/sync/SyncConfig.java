package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One sync: read items from a source connector, map each with {@code mapping} (field name to JSONata expression;
 * null or empty passes items through), write them to a target connector. Settings hold the connector's template
 * parameters; secret settings are kept sealed (see {@link SettingSecrets}).
 */
public record SyncConfig(
        String id,
        String name,
        String sourceType,
        ObjectNode sourceSettings,
        String targetType,
        ObjectNode targetSettings,
        ObjectNode mapping,
        String triggerType,
        String scheduleCron,
        boolean active,
        Instant lastScheduledAt,
        Instant createdAt,
        Instant updatedAt) {

    public static final String MANUAL = "manual";
    public static final String SCHEDULED = "scheduled";
    public static final String WEBHOOK = "webhook";

    public boolean scheduled() {
        return active && SCHEDULED.equals(triggerType) && scheduleCron != null;
    }
}
