package dev.webhookhub.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.store.DeploymentStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Dead-letter step of the worker: the delivery's processing gave up after its redeliveries; mark it failed. */
public final class DeliveryFailureMarker implements Processor {

    private final ObjectMapper mapper;
    private final DeploymentStore deployments;

    public DeliveryFailureMarker(ObjectMapper mapper, DeploymentStore deployments) {
        this.mapper = mapper;
        this.deployments = deployments;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String deliveryId = mapper.readTree(exchange.getIn().getBody(String.class)).path("id").asText();
        deployments.failDelivery(deliveryId, cause == null ? "processing failed" : cause.toString());
    }
}
