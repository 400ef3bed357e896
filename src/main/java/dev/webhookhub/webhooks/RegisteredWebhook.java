package dev.webhookhub.webhooks;

import java.time.Instant;
import java.util.List;

/** A webhook a team registered for one of its senders; deliveries to its URL trigger its sync config. */
public record RegisteredWebhook(
        String id,
        String name,
        String webhookUrl,
        String syncConfigId,
        String connectorId,
        List<String> eventTypes,
        String metadataJson,
        boolean active,
        Integer rateLimitPerMinute,
        long triggerCount,
        Instant lastTriggeredAt,
        Instant createdAt,
        Instant updatedAt) {

    /** No event types listed: every event is taken. */
    public boolean takes(String eventType) {
        return eventTypes == null || eventTypes.isEmpty() || (eventType != null && eventTypes.contains(eventType));
    }
}
