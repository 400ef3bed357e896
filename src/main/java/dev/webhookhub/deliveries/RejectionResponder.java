package dev.webhookhub.deliveries;

import dev.webhookhub.api.ApiError;
import dev.webhookhub.store.StoreException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.processor.ThrottlerRejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error step of every receiver route (routes/receiver-errors.yaml): answers with the hub's JSON error
 * ({@link ApiError}: the rejection's 4xx, 429 beyond a rate limit, 503 when the store is unavailable) and records the
 * delivery, when there is one, as rejected (best effort, not awaited: a rejected delivery was never acknowledged, so
 * its log row is not on the durable path).
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
        ReceivedDelivery delivery = exchange.getProperty(ReceivedDelivery.PROPERTY, ReceivedDelivery.class);
        ApiError error = cause instanceof ThrottlerRejectedExecutionException
                ? new ApiError(429, "rate_limited", "too many deliveries for this receiver; retry after "
                        + RETRY_AFTER_SECONDS + " seconds", RETRY_AFTER_SECONDS)
                // a receiver that keeps no delivery row (the results receiver) says so in its own words
                : ApiError.of(cause, delivery != null ? "the delivery could not be stored; retry later"
                        : "nothing was stored; retry later", delivery != null
                        ? "the hub failed to process the delivery" : "the request failed inside the hub");
        if (error.status() == 503) {
            LOG.error("webhook delivery not stored: {}", cause.getMessage());
        } else if (error.status() == 500) {
            LOG.error("webhook delivery failed", cause);
        }
        error.write(exchange);

        if (delivery != null && !(cause instanceof StoreException)) {
            delivery.markRejected(error.getMessage());
            inbox.submit(delivery.toRecord(error.status(), error.code() + ": " + error.getMessage(), payloadCap))
                    .exceptionally(e -> {
                        LOG.warn("could not record rejected delivery {}: {}", delivery.id(), e.getMessage());
                        return null;
                    });
        }
    }
}
