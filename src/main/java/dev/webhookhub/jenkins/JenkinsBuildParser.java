package dev.webhookhub.jenkins;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.deliveries.ReceivedDelivery;
import dev.webhookhub.inbound.WebhookRejection;
import dev.webhookhub.pipelines.RunRecorder;
import dev.webhookhub.pipelines.RunReport;
import java.io.IOException;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The parse step of routes/jenkins-webhook.yaml: the body, parsed once, in either Jenkins format (the product
 * document's or the Notification plugin's) as the run it reports ({@link RunRecorder#RUN}). Not JSON, or no run: 400.
 */
public final class JenkinsBuildParser implements Processor {

    private final ObjectMapper mapper;

    public JenkinsBuildParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void process(Exchange exchange) {
        RunReport run;
        try {
            run = JenkinsNotifications.parse(mapper.readTree(exchange.getIn().getBody(byte[].class)));
        } catch (IOException e) {
            throw WebhookRejection.badRequest("malformed_json", "the payload is not valid JSON");
        } catch (IllegalArgumentException e) {
            throw WebhookRejection.badRequest("invalid_payload", e.getMessage());
        }
        exchange.getProperty(ReceivedDelivery.PROPERTY, ReceivedDelivery.class).identify(null,
                run.rawStatus() == null ? "build" : "build." + run.rawStatus().toLowerCase(Locale.ROOT));
        exchange.setProperty(RunRecorder.RUN, run);
    }
}
