package dev.webhookhub.inbound;

import dev.webhookhub.store.DeliveryRecord;
import dev.webhookhub.store.DeliveryStatus;
import dev.webhookhub.store.TimeOrderedIds;
import java.time.Instant;
import java.util.Arrays;

/** One delivery on its way through the receiver route; becomes a webhook_deliveries row. */
public final class ReceivedDelivery {

    public static final String PROPERTY = "hubDelivery";
    /** Statuses the receiver decides before recording; see DeliveryStatus for the stored ones. */
    public static final String PING = "ping";

    private final String id = TimeOrderedIds.next();
    private final long startNanos = System.nanoTime();
    private final Instant receivedAt = Instant.now();
    private final String provider;
    private final String serviceId;
    private String providerDeliveryId;
    private String event;
    private byte[] payload;
    private String headersJson;
    private Boolean signatureValid;
    private String status;
    private String reason;
    private String eventJson;
    private String idempotencyKey;

    public ReceivedDelivery(String provider, String serviceId) {
        this.provider = provider;
        this.serviceId = serviceId;
    }

    public String id() {
        return id;
    }

    public String provider() {
        return provider;
    }

    public String serviceId() {
        return serviceId;
    }

    public String providerDeliveryId() {
        return providerDeliveryId;
    }

    public String event() {
        return event;
    }

    public String status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public String eventJson() {
        return eventJson;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    public void request(byte[] payload, String headersJson) {
        this.payload = payload;
        this.headersJson = headersJson;
    }

    public void identify(String providerDeliveryId, String event) {
        this.providerDeliveryId = providerDeliveryId;
        this.event = event;
    }

    public void signatureValid(boolean valid) {
        this.signatureValid = valid;
    }

    public void decide(String status, String reason, String eventJson) {
        this.status = status;
        this.reason = reason;
        this.eventJson = eventJson;
    }

    void idempotencyKey(String key) {
        this.idempotencyKey = key;
    }

    public void markRejected(String reason) {
        this.status = DeliveryStatus.REJECTED;
        this.reason = reason;
        this.eventJson = null;
    }

    public void markDuplicate() {
        this.status = DeliveryStatus.DUPLICATE;
        this.reason = "already received";
        this.eventJson = null;
    }

    /** The row for a delivery the hub answered with {@code responseCode}. */
    public DeliveryRecord toRecord(int responseCode, String error, int payloadCap) {
        boolean takenIn = idempotencyKey != null
                && (DeliveryStatus.ACCEPTED.equals(status) || DeliveryStatus.IGNORED.equals(status));
        byte[] stored = payload;
        boolean truncated = false;
        if (payload != null && !takenIn && payload.length > payloadCap) {
            stored = Arrays.copyOf(payload, payloadCap);
            truncated = true;
        }
        String storedStatus = PING.equals(status) ? DeliveryStatus.IGNORED : status;
        return new DeliveryRecord(id, provider, serviceId, providerDeliveryId, event, stored,
                payload == null ? 0 : payload.length, truncated, headersJson, signatureValid, storedStatus,
                responseCode, (int) ((System.nanoTime() - startNanos) / 1_000_000), eventJson, error, receivedAt,
                takenIn ? idempotencyKey : null);
    }
}
