package dev.webhookhub.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.Requests;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The answer step of routes/results-receiver.yaml: 200 {@code received} (with the id) or {@code duplicate}. */
final class ResultsReceiverResponder implements Processor {

    private final ObjectMapper mapper;

    ResultsReceiverResponder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void process(Exchange exchange) {
        ReceivedResult received = exchange.getProperty(ReceivedResultParser.RESULT, ReceivedResult.class);
        boolean stored = Boolean.TRUE.equals(exchange.getProperty(ResultsReceiverRecorder.STORED, Boolean.class));
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("status", stored ? "received" : "duplicate");
        if (stored) {
            out.put("id", received.id());
        }
        out.put("signature_verified", received.signatureVerified());
        Requests.respond(exchange, 200, out, mapper);
    }
}
