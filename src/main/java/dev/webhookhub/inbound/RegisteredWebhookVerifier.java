package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.deliveries.DeliveryEvent;
import dev.webhookhub.deliveries.ReceivedDelivery;
import dev.webhookhub.security.SignatureScheme;
import dev.webhookhub.security.SignatureSchemes;
import dev.webhookhub.security.SignedRequest;
import dev.webhookhub.deliveries.DeliveryStatus;
import dev.webhookhub.webhooks.RegisteredWebhook;
import dev.webhookhub.webhooks.RegisteredWebhookDirectory;
import dev.webhookhub.webhooks.RegisteredWebhookStore;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * First step of the registered-webhook receiver: finds the webhook by its URL, proves the delivery genuine by any of
 * the forms senders use (GitHub-style {@code X-Hub-Signature-256}, {@code X-Webhook-Signature}, Standard Webhooks,
 * HTTP basic auth with the secret as password), reads the event type and the sender's delivery id, and decides
 * accepted or ignored (event type not subscribed). Sets the same exchange properties as the Git verifier, plus
 * {@code hubRateLimit}/{@code hubRateKey} when the webhook has a rate limit.
 */
public final class RegisteredWebhookVerifier implements Processor {

    static final String EVENT_TYPE = "webhook.received";
    private static final String[] EVENT_HEADERS = { "X-Event-Type", "X-GitHub-Event", "X-Gitlab-Event", "webhook-event",
        "ce-type" };
    private static final String[] DELIVERY_ID_HEADERS = { "webhook-id", "X-GitHub-Delivery", "X-Request-Id", "ce-id" };

    private final RegisteredWebhookDirectory directory;
    /** The forms a registered webhook's sender may use, in the order they are looked for. */
    private final List<SignatureScheme> forms;
    private final ObjectMapper mapper;
    private final long maxBodyBytes;
    private final UnknownWebhooks unknown;

    public RegisteredWebhookVerifier(RegisteredWebhookDirectory directory, SignatureSchemes schemes,
            ObjectMapper mapper, long maxBodyBytes, UnknownWebhooks unknown) {
        this.directory = directory;
        this.forms = List.of(SignatureSchemes.GITHUB, SignatureSchemes.WEBHOOK_SIGNATURE,
                schemes.standardWebhooks().refusingIncompleteHeadersAs("missing_signature",
                        "webhook-id, webhook-timestamp and webhook-signature are all required"),
                SignatureSchemes.BASIC_AUTH);
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
        this.unknown = unknown;
    }

    @Override
    public void process(Exchange exchange) {
        String url = exchange.getIn().getHeader("webhookUrl", String.class);
        RegisteredWebhookDirectory.Entry entry = url == null ? null : directory.byUrl(url).orElse(null);
        if (entry == null) {
            // nothing to attach a record to: counted, not stored
            unknown.count(RegisteredWebhookStore.PROVIDER);
            throw new WebhookRejection(404, "unknown_webhook", "no webhook is registered at this URL");
        }
        RegisteredWebhook webhook = entry.webhook();
        ReceivedDelivery delivery = new ReceivedDelivery(RegisteredWebhookStore.PROVIDER, webhook.id());
        exchange.setProperty(ReceivedDelivery.PROPERTY, delivery);
        HttpServerRequest http = ((HttpMessage) exchange.getIn()).getRequest();
        byte[] body = ReceivedBody.bytes(exchange);
        delivery.request(body, RequestHeaders.redactedJson(mapper, http.headers(), null));
        if (!webhook.active()) {
            throw new WebhookRejection(404, "unknown_webhook", "no webhook is registered at this URL");
        }
        ReceivedBody.requireJson(http.getHeader("Content-Type"), body.length, maxBodyBytes);
        InboundRequest request = new InboundRequest(body, http::getHeader);
        verify(request, entry.secrets().validAt(Instant.now()));
        delivery.signatureValid(true);

        JsonNode payload = ReceivedBody.jsonObject(mapper, body);
        String event = eventType(request, payload);
        String senderId = deliveryId(request, payload);
        if (senderId != null && senderId.length() > 200) {
            throw WebhookRejection.badRequest("invalid_header", "the delivery id is longer than 200 characters");
        }
        delivery.identify(senderId, event);
        if (webhook.takes(event)) {
            delivery.decide(DeliveryStatus.ACCEPTED, null, event(delivery, webhook, url, event, payload));
        } else {
            delivery.decide(DeliveryStatus.IGNORED, "event type '" + event + "' is not among the webhook's "
                    + webhook.eventTypes(), null);
        }
        String key = RegisteredWebhookStore.PROVIDER + ":" + webhook.id() + ":"
                + (senderId != null ? senderId : delivery.id());
        delivery.handOver(exchange, key);
        if (webhook.rateLimitPerMinute() != null) {
            ReceivedDelivery.rateLimit(exchange, webhook.rateLimitPerMinute(), "webhook:" + webhook.id());
        }
    }

    /** The first form present, checked against every valid secret; a form present but wrong is refused. */
    private void verify(InboundRequest request, List<String> secrets) {
        SignedRequest signed = request.signed();
        for (SignatureScheme scheme : forms) {
            if (scheme.presentIn(signed)) {
                WebhookRejection.require(scheme.verify(signed, secrets));
                return;
            }
        }
        throw WebhookRejection.unauthorized("missing_signature", "sign the body (X-Hub-Signature-256 or "
                + "X-Webhook-Signature: sha256=<hex HMAC-SHA256>, or Standard Webhooks headers) or send the "
                + "secret as the HTTP basic authentication password");
    }

    private static String eventType(InboundRequest request, JsonNode payload) {
        for (String h : EVENT_HEADERS) {
            String v = request.header(h);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        for (String field : new String[] { "eventType", "event_type", "type" }) {
            JsonNode v = payload.get(field);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return v.asText().trim();
            }
        }
        return null;
    }

    private static String deliveryId(InboundRequest request, JsonNode payload) {
        for (String h : DELIVERY_ID_HEADERS) {
            String v = request.header(h);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        JsonNode id = payload.get("id");
        return id != null && (id.isTextual() || id.isNumber()) && !id.asText().isBlank() ? id.asText() : null;
    }

    private static DeliveryEvent event(ReceivedDelivery d, RegisteredWebhook w, String url, String event,
            JsonNode payload) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("webhookId", w.id());
        data.put("webhookName", w.name());
        data.put("syncConfigId", w.syncConfigId());
        data.put("connectorId", w.connectorId());
        data.put("event", event);
        data.put("providerDeliveryId", d.providerDeliveryId());
        List<String> items = new ArrayList<>();
        JsonNode resource = payload.path("resource");
        JsonNode item = resource.has("workItemId") ? resource.get("workItemId") : resource.get("id");
        if (event != null && event.startsWith("workitem.") && item != null && item.isValueNode()) {
            items.add(item.asText());
        }
        data.put("workItemIds", items);
        return new DeliveryEvent(d.id(), "/api/webhooks/receive/" + url, EVENT_TYPE, w.name(), d.receivedAt(), data,
                null);
    }
}
