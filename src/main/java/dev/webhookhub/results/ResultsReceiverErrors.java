package dev.webhookhub.results;

import dev.webhookhub.api.ApiError;
import dev.webhookhub.inbound.WebhookRejection;
import dev.webhookhub.store.StoreException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The error answer of routes/results-receiver.yaml: JSON with the status of the rejection; nothing is stored. */
public final class ResultsReceiverErrors implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsReceiverErrors.class);

    @Override
    public void process(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e instanceof WebhookRejection r) {
            LOG.debug("results receiver refused a request: {} {}", r.status(), r.code());
            ApiError.write(exchange, r.status(), r.code(), r.getMessage());
        } else if (e instanceof StoreException) {
            LOG.error("results receiver cannot store: {}", e.toString());
            ApiError.write(exchange, 503, "store_unavailable", "nothing was stored; retry later");
        } else {
            LOG.error("results receiver failed", e);
            ApiError.write(exchange, 500, "internal_error", "the request failed inside the hub");
        }
    }
}
