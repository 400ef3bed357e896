package dev.webhookhub.deliveries;

import dev.webhookhub.store.StoredText;
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

    /** Column widths of webhook_deliveries (V1__foundation.sql). */
    public static final int PROVIDER_CHARS = 32;
    public static final int SERVICE_ID_CHARS = 100;
    public static final int DELIVERY_ID_CHARS = 255;
    public static final int EVENT_TYPE_CHARS = 255;
    public static final int ERROR_CHARS = 1000;

    public DeliveryRecord {
        provider = StoredText.fit(provider, PROVIDER_CHARS);
        serviceId = StoredText.fit(serviceId, SERVICE_ID_CHARS);
        deliveryId = StoredText.fit(deliveryId, DELIVERY_ID_CHARS);
        eventType = StoredText.fit(eventType, EVENT_TYPE_CHARS);
        error = StoredText.fit(error, ERROR_CHARS);
    }

    /** The same delivery recorded as a duplicate of one already taken in. */
    public DeliveryRecord asDuplicate() {
        return new DeliveryRecord(id, provider, serviceId, deliveryId, eventType, payload, payloadSize,
                payloadTruncated, headersJson, signatureValid, DeliveryStatus.DUPLICATE, 200, processingTimeMs, null,
                null, createdAt, null);
    }
}
