package dev.webhookhub.inbound;

import dev.webhookhub.api.ApiError;
import dev.webhookhub.store.DeliveryInbox;
import dev.webhookhub.store.StoreException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.processor.ThrottlerRejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error path of the receiver route: answers with a JSON error and records the delivery as rejected (best effort, not
 * awaited: a rejected delivery was never acknowledged, so its log row is not on the durable path).
 */
public final class RejectionResponder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RejectionResponder.class);

    /** A rate limit is per minute: a sender retrying after this long finds room again. */
    static final int RETRY_AFTER_SECONDS = 60;

    private final DeliveryInbox inbox;
    private final int payloadCap;

    public RejectionResponder(DeliveryInbox inbox, int payloadCap) {
        this.inbox = inbox;
        this.payloadCap = payloadCap;
    }

    @Override
    public void process(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int status;
        String code;
        String message;
        if (cause instanceof WebhookRejection r) {
            status = r.status();
            code = r.code();
            message = r.getMessage();
        } else if (cause instanceof ThrottlerRejectedExecutionException) {
            status = 429;
            code = "rate_limited";
            message = "too many deliveries for this receiver; retry after " + RETRY_AFTER_SECONDS + " seconds";
        } else if (cause instanceof StoreException) {
            status = 503;
            code = "store_unavailable";
            message = "the delivery could not be stored; retry later";
            LOG.error("webhook delivery not stored: {}", cause.getMessage());
        } else {
            status = 500;
            code = "internal_error";
            message = "the hub failed to process the delivery";
            LOG.error("webhook delivery failed", cause);
        }
        ApiError.write(exchange, status, code, message);
        if (status == 429) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        }

        ReceivedDelivery delivery = exchange.getProperty(ReceivedDelivery.PROPERTY, ReceivedDelivery.class);
        if (delivery != null && !(cause instanceof StoreException)) {
            delivery.markRejected(message);
            inbox.submit(delivery.toRecord(status, code + ": " + message, payloadCap)).exceptionally(e -> {
                LOG.warn("could not record rejected delivery {}: {}", delivery.id(), e.getMessage());
                return null;
            });
        }
    }
}
