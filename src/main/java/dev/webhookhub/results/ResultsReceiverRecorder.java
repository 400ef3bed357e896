package dev.webhookhub.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.Requests;
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
 * Second step of routes/results-receiver.yaml: the body must be JSON; stores it with the request headers
 * (signature headers kept, credentials redacted) and answers 200. A message the sender retries (same webhook-id or
 * X-Webhook-Hub-Message-Id) is stored once and answered {@code duplicate}.
 */
public final class ResultsReceiverRecorder implements Processor {

    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

    private final ReceivedResultsStore store;
    private final ObjectMapper mapper;
    private final Clock clock;

    ResultsReceiverRecorder(ReceivedResultsStore store, ObjectMapper mapper, Clock clock) {
        this.store = store;
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
        ReceivedResult received = new ReceivedResult(TimeOrderedIds.next(), clock.instant(), truncate(messageId),
                truncate(eventType), pipelineId.isTextual() ? truncate(pipelineId.textValue()) : null,
                Boolean.TRUE.equals(exchange.getProperty(ResultsReceiverVerifier.VERIFIED, Boolean.class)),
                headers(http), new String(body, StandardCharsets.UTF_8));
        boolean stored = store.insert(received);
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("status", stored ? "received" : "duplicate");
        if (stored) {
            out.put("id", received.id());
        }
        out.put("signature_verified", received.signatureVerified());
        Requests.respond(exchange, 200, out, mapper);
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
