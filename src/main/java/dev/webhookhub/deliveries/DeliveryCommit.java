package dev.webhookhub.deliveries;

import dev.webhookhub.store.StoreException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Commits a delivery row through the group-commit inbox and waits for it, for the record steps that answer only once
 * the row is durable and do nothing else meanwhile (the CI run receivers). A store failure is a {@link StoreException}
 * (the receivers answer 503).
 */
public final class DeliveryCommit {

    private final DeliveryInbox inbox;
    private final int payloadCap;

    public DeliveryCommit(DeliveryInbox inbox, int payloadCap) {
        this.inbox = inbox;
        this.payloadCap = payloadCap;
    }

    /** How much of a rejected delivery's body is kept. */
    public int payloadCap() {
        return payloadCap;
    }

    public DeliveryInbox.Outcome await(DeliveryRecord record) {
        try {
            return inbox.submit(record).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StoreException se ? se : new StoreException("cannot record delivery", e);
        } catch (TimeoutException e) {
            throw new StoreException("timed out recording delivery", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted recording delivery", e);
        }
    }
}
