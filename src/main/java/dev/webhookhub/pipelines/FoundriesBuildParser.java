package dev.webhookhub.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.deliveries.ReceivedDelivery;
import dev.webhookhub.inbound.WebhookRejection;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The parse step of routes/foundries-webhook.yaml: the JobServ build, parsed once, as a run (its runs[] kept as
 * stages) in {@link RunRecorder#RUN}. Not a JSON object, or no build_id: 400.
 */
public final class FoundriesBuildParser implements Processor {

    private final ObjectMapper mapper;

    public FoundriesBuildParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void process(Exchange exchange) {
        ReceivedDelivery delivery = exchange.getProperty(ReceivedDelivery.PROPERTY, ReceivedDelivery.class);
        JsonNode payload;
        try {
            payload = mapper.readTree(exchange.getIn().getBody(byte[].class));
        } catch (IOException e) {
            throw WebhookRejection.badRequest("malformed_json", "the payload is not valid JSON");
        }
        if (payload == null || !payload.isObject()) {
            throw WebhookRejection.badRequest("malformed_json", "the payload must be a JSON object");
        }
        RunReport run = FoundriesRuns.build(payload, delivery.serviceId()).orElseThrow(() ->
                WebhookRejection.badRequest("missing_field", "the payload has no build_id"));
        delivery.identify(null, "build");
        exchange.setProperty(RunRecorder.RUN, run);
    }
}
