package dev.webhookhub.store;

import java.time.Instant;

/**
 * One row of the delivery log. {@code idempotencyKey} is set for deliveries taken in (accepted or ignored): the key
 * is stored in the same transaction as the row.
 */
public record DeliveryRecord(
        String id,
        String provider,
        String serviceId,
        String deliveryId,
        String eventType,
        byte[] payload,
        long payloadSize,
        boolean payloadTruncated,
        String headersJson,
        Boolean signatureValid,
        String status,
        int responseCode,
        int processingTimeMs,
        String eventJson,
        String error,
        Instant createdAt,
        String idempotencyKey) {

    /** The same delivery recorded as a duplicate of one already taken in. */
    public DeliveryRecord asDuplicate() {
        return new DeliveryRecord(id, provider, serviceId, deliveryId, eventType, payload, payloadSize,
                payloadTruncated, headersJson, signatureValid, DeliveryStatus.DUPLICATE, 200, processingTimeMs, null,
                null, createdAt, null);
    }
}
