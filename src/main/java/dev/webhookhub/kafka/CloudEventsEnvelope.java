package dev.webhookhub.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Turns a consumed binary-mode CloudEvents record (ce_ headers, JSON data) back into the hub's structured delivery
 * envelope, the body the SEDA workers take, so the Kafka workers run the same processors.
 */
public final class CloudEventsEnvelope implements Processor {

    private final ObjectMapper mapper;

    public CloudEventsEnvelope(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void process(Exchange exchange) {
        Message m = exchange.getMessage();
        m.setBody(CloudEventsBinding.envelope(mapper, m.getHeaders(), m.getBody(String.class)));
    }
}
