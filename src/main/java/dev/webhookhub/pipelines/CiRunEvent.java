package dev.webhookhub.pipelines;

import dev.webhookhub.deliveries.DeliveryEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * The worker routes' choice: whether the queued delivery is a CI event (a run for {@link PipelineEventWorker}) rather
 * than a push or another Git event. A predicate the routes name with the {@code ref} language, since the
 * {@code method} language copies the exchange and binds parameters on every call, once per queued delivery.
 */
public final class CiRunEvent implements Predicate {

    @Override
    public boolean matches(Exchange exchange) {
        return PipelineEventWorker.handlesType(DeliveryEvent.of(exchange.getIn().getBody()).type());
    }
}
