package dev.webhookhub.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.inbound.WebhookRejection;
import dev.webhookhub.store.TimeOrderedIds;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The parse step of routes/results-receiver.yaml: the body must be JSON (400); it becomes the
 * {@link ReceivedResult} to store ({@link #RESULT}) with the sender's message id (webhook-id or
 * X-Webhook-Hub-Message-Id, the dedupe key), the event type, the pipeline id and the request headers (signature
 * headers kept, credentials redacted).
 */
final class ReceivedResultParser implements Processor {

    static final String RESULT = "hubReceivedResult";
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

    private final ObjectMapper mapper;
    private final Clock clock;

    ReceivedResultParser(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        byte[] body = exchange.getIn().getBody(byte[].class);
        JsonNode json = parse(body);
        HttpServerRequest http = ResultsReceiverVerifier.request(exchange);
        String messageId = header(http, "webhook-id");
        if (messageId == null) {
            messageId = header(http, "X-Webhook-Hub-Message-Id");
        }
        String eventType = header(http, "X-Webhook-Hub-Event");
        if (eventType == null && json.path("event_type").isTextual()) {
            eventType = json.get("event_type").textValue();
        }
        JsonNode pipelineId = json.path("results").path("pipeline_id");
        exchange.setProperty(RESULT, new ReceivedResult(TimeOrderedIds.next(), clock.instant(), truncate(messageId),
                truncate(eventType), pipelineId.isTextual() ? truncate(pipelineId.textValue()) : null,
                Boolean.TRUE.equals(exchange.getProperty(ResultsReceiverVerifier.VERIFIED, Boolean.class)),
                headers(http), new String(body, StandardCharsets.UTF_8)));
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : mapper.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw WebhookRejection.badRequest("malformed_json", "the body must be JSON");
            }
            return node;
        } catch (IOException e) {
            throw WebhookRejection.badRequest("malformed_json", "the body is not valid JSON");
        }
    }

    private String headers(HttpServerRequest http) {
        ObjectNode out = mapper.createObjectNode();
        if (http != null) {
            for (String name : http.headers().names()) {
                out.put(name, CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? "[redacted]"
                        : String.join(", ", http.headers().getAll(name)));
            }
        }
        return out.toString();
    }

    private static String header(HttpServerRequest http, String name) {
        String v = http == null ? null : http.getHeader(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String truncate(String v) {
        return v == null || v.length() <= 255 ? v : v.substring(0, 255);
    }
}
