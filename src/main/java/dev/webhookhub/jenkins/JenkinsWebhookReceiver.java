package dev.webhookhub.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.inbound.ReceivedDelivery;
import dev.webhookhub.inbound.WebhookRejection;
import dev.webhookhub.pipelines.PipelineRunStore;
import dev.webhookhub.pipelines.RunReport;
import dev.webhookhub.pipelines.RunWebhookDeliveries;
import dev.webhookhub.pipelines.UpsertOutcome;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code POST /api/webhooks/jenkins}: checks the shared token, reads either Jenkins body format and upserts the run,
 * so a build shows at once instead of at the next poll. Bad input is a 400, a missing or wrong token a 401.
 */
public final class JenkinsWebhookReceiver implements Processor {

    private final JenkinsWebhookToken token;
    private final ObjectMapper mapper;
    private final PipelineRunStore runs;
    private final RunWebhookDeliveries deliveries;

    public JenkinsWebhookReceiver(JenkinsWebhookToken token, ObjectMapper mapper, PipelineRunStore runs,
            RunWebhookDeliveries deliveries) {
        this.token = token;
        this.mapper = mapper;
        this.runs = runs;
        this.deliveries = deliveries;
    }

    @Override
    public void process(Exchange exchange) {
        ReceivedDelivery delivery = deliveries.begin(exchange, JenkinsNotifications.SOURCE, null);
        HttpServerRequest http = RunWebhookDeliveries.request(exchange);
        String queryToken = http != null ? http.getParam("token") : null;
        String authorization = http != null ? http.getHeader("Authorization")
                : exchange.getIn().getHeader("Authorization", String.class);
        if (!token.accepts(queryToken, authorization)) {
            throw WebhookRejection.unauthorized(queryToken == null && authorization == null ? "missing_token"
                    : "invalid_token", "a valid token is required: ?token=<JENKINS_WEBHOOK_TOKEN> or HTTP basic "
                    + "authentication with it as the password");
        }
        if (token.required()) {
            delivery.signatureValid(true);
        }
        RunReport run;
        try {
            JsonNode body = mapper.readTree(RunWebhookDeliveries.body(exchange));
            run = JenkinsNotifications.parse(body);
        } catch (IOException e) {
            throw WebhookRejection.badRequest("malformed_json", "the payload is not valid JSON");
        } catch (IllegalArgumentException e) {
            throw WebhookRejection.badRequest("invalid_payload", e.getMessage());
        }
        UpsertOutcome outcome = runs.upsert(run);
        deliveries.accepted(exchange, delivery, run.rawStatus() == null ? "build" : "build." + run.rawStatus()
                .toLowerCase(java.util.Locale.ROOT), run, outcome);
    }
}
