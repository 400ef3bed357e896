package dev.webhookhub.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.Requests;
import dev.webhookhub.deliveries.ReceivedDelivery;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The answer step of the CI receivers that report a run: 202 with the run's id, once run and delivery are stored. */
public final class RunResponder implements Processor {

    private final ObjectMapper mapper;

    public RunResponder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void process(Exchange exchange) {
        ReceivedDelivery delivery = exchange.getProperty(ReceivedDelivery.PROPERTY, ReceivedDelivery.class);
        RunReport run = exchange.getProperty(RunRecorder.RUN, RunReport.class);
        UpsertOutcome outcome = exchange.getProperty(RunRecorder.OUTCOME, UpsertOutcome.class);
        ObjectNode body = mapper.createObjectNode();
        body.put("success", true);
        body.put("status", "accepted");
        body.put("runId", outcome.runId());
        body.put("deliveryId", delivery.id());
        body.put("outcome", outcome.kind().name().toLowerCase(Locale.ROOT));
        ObjectNode r = body.putObject("run");
        r.put("source", run.source());
        r.put("job", run.job());
        r.put("number", run.number());
        r.put("status", run.status());
        Requests.respond(exchange, 202, body, mapper);
    }
}
