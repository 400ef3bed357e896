package dev.webhookhub.deliveries;

import dev.webhookhub.store.DeploymentStore;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead-letter step of the worker: a batch still failed after its redeliveries. Its deliveries stay 'accepted' when
 * the store is unavailable (recovery queues them again later); otherwise each is marked failed.
 */
public final class DeliveryFailureMarker implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryFailureMarker.class);

    private final DeploymentStore deployments;

    public DeliveryFailureMarker(DeploymentStore deployments) {
        this.deployments = deployments;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (cause instanceof dev.webhookhub.store.StoreException) {
            LOG.warn("store unavailable; the batch's deliveries stay accepted for recovery: {}", cause.getMessage());
            return;
        }
        Object body = exchange.getIn().getBody();
        List<?> queued = body instanceof List<?> list ? list : List.of(body);
        for (Object item : queued) {
            String deliveryId = DeliveryEvent.of(item).id();
            deployments.failDelivery(deliveryId, cause == null ? "processing failed" : cause.toString());
        }
    }
}
