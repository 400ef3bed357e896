package dev.webhookhub.store;

/** Values of webhook_deliveries.status. */
public final class DeliveryStatus {
    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
    public static final String IGNORED = "ignored";
    public static final String REJECTED = "rejected";
    public static final String PROCESSED = "processed";
    public static final String FAILED = "failed";

    private DeliveryStatus() {
    }
}
