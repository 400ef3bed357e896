package dev.webhookhub.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.inbound.ReceivedDelivery;
import dev.webhookhub.inbound.WebhookRejection;
import dev.webhookhub.security.Hmac;
import java.io.IOException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code POST /api/webhooks/foundries/{name}}: a FoundriesFactory CI (JobServ) build webhook. Verifies
 * {@code X-JobServ-Sig: sha256:<hex HMAC-SHA256 of the raw body>} with the secret configured for {@code name}, then
 * upserts the build as a run (its runs[] kept as stages).
 */
public final class FoundriesWebhookReceiver implements Processor {

    static final String SIGNATURE_HEADER = "X-JobServ-Sig";

    private final Map<String, String> secrets;
    private final ObjectMapper mapper;
    private final PipelineRunStore runs;
    private final RunWebhookDeliveries deliveries;

    /** {@code secrets} by webhook name; names with a blank secret are not accepted. */
    public FoundriesWebhookReceiver(Map<String, String> secrets, ObjectMapper mapper, PipelineRunStore runs,
            RunWebhookDeliveries deliveries) {
        this.secrets = Map.copyOf(secrets);
        this.mapper = mapper;
        this.runs = runs;
        this.deliveries = deliveries;
    }

    @Override
    public void process(Exchange exchange) {
        String name = exchange.getIn().getHeader("name", String.class);
        ReceivedDelivery delivery = deliveries.begin(exchange, FoundriesRuns.SOURCE, name);
        String secret = name == null ? null : secrets.get(name);
        if (secret == null || secret.isBlank()) {
            throw new WebhookRejection(404, "unknown_webhook", "no FoundriesFactory webhook named '" + name
                    + "' is configured (hub.foundries.secrets." + name + ")", null);
        }
        byte[] body = RunWebhookDeliveries.body(exchange);
        verify(exchange.getIn().getHeader(SIGNATURE_HEADER, String.class), secret, body);
        delivery.signatureValid(true);
        JsonNode payload = parse(body);
        RunReport run = FoundriesRuns.build(payload, name).orElseThrow(() -> WebhookRejection.badRequest(
                "missing_field", "the payload has no build_id"));
        UpsertOutcome outcome = runs.upsert(run);
        deliveries.accepted(exchange, delivery, "build", run, outcome);
    }

    /** {@code sha256:} (a colon, not '=') and 64 hex digits, compared in constant time. */
    static void verify(String header, String secret, byte[] body) {
        if (header == null || header.isBlank()) {
            throw WebhookRejection.unauthorized("missing_signature", SIGNATURE_HEADER + " header is required");
        }
        String value = header.trim();
        if (!value.startsWith("sha256:")) {
            throw WebhookRejection.unauthorized("invalid_signature", SIGNATURE_HEADER + " must be sha256:<hex>");
        }
        if (!Hmac.hexMatches(value.substring(7), Hmac.sha256(secret, body))) {
            throw WebhookRejection.unauthorized("invalid_signature", "signature does not match the payload");
        }
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw WebhookRejection.badRequest("malformed_json", "the payload must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw WebhookRejection.badRequest("malformed_json", "the payload is not valid JSON");
        }
    }
}
