package dev.webhookhub.outbound;

import java.time.Instant;

/** One outbox row: an event for one endpoint, with its delivery state. */
public record OutboundMessage(
        String id,
        String endpointId,
        String eventType,
        byte[] payload,
        String status,
        int attempts,
        Instant nextAttemptAt,
        Integer lastStatusCode,
        String lastError,
        Instant createdAt,
        Instant deliveredAt) {

    public static final String PENDING = "pending";
    public static final String DELIVERING = "delivering";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
}
