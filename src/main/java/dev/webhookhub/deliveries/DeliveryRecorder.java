package dev.webhookhub.deliveries;

import dev.webhookhub.inbound.GitWebhookVerifier;
import dev.webhookhub.store.StoreException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Commits the delivery row (and its idempotency key) through the group-commit inbox and waits for the commit, so the
 * sender's 2xx always follows a durable write. Turns a delivery the idempotent consumer saw before into a duplicate.
 */
public final class DeliveryRecorder implements Processor {

    private final DeliveryInbox inbox;
    private final int payloadCap;

    public DeliveryRecorder(DeliveryInbox inbox, int payloadCap) {
        this.inbox = inbox;
        this.payloadCap = payloadCap;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        ReceivedDelivery delivery = exchange.getProperty(ReceivedDelivery.PROPERTY, ReceivedDelivery.class);
        if (exchange.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)) {
            delivery.markDuplicate();
        }
        int code = WebhookResponder.statusCode(delivery.status());
        try {
            DeliveryInbox.Outcome outcome = inbox.submit(delivery.toRecord(code, delivery.reason(), payloadCap))
                    .get(30, TimeUnit.SECONDS);
            if (outcome == DeliveryInbox.Outcome.DUPLICATE) {
                delivery.markDuplicate();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StoreException se ? se : new StoreException("cannot record delivery", e);
        } catch (TimeoutException e) {
            throw new StoreException("timed out recording delivery", e);
        }
        exchange.setProperty(GitWebhookVerifier.STATUS_PROPERTY, delivery.status());
    }
}
