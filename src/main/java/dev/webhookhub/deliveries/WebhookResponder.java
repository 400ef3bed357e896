package dev.webhookhub.deliveries;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Writes the JSON answer for a delivery the hub recorded. */
public final class WebhookResponder implements Processor {

    private final ObjectMapper mapper;

    public WebhookResponder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public static int statusCode(String status) {
        return switch (status) {
            case DeliveryStatus.ACCEPTED, DeliveryStatus.IGNORED -> 202;
            default -> 200;
        };
    }

    @Override
    public void process(Exchange exchange) {
        ReceivedDelivery d = exchange.getProperty(ReceivedDelivery.PROPERTY, ReceivedDelivery.class);
        ObjectNode body = mapper.createObjectNode();
        body.put("success", true);
        body.put("status", d.status());
        body.put("deliveryId", d.id());
        body.put("providerDeliveryId", d.providerDeliveryId());
        body.put("event", d.event());
        if (d.reason() != null) {
            body.put("message", d.reason());
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(body.toString());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, statusCode(d.status()));
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
