package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.deliveries.DeliveryEvent;
import dev.webhookhub.deliveries.ReceivedDelivery;
import dev.webhookhub.deliveries.DeliveryStatus;
import dev.webhookhub.store.Service;
import dev.webhookhub.store.WebhookSecrets;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * First step of the Git receiver route: proves the delivery genuine and decides what it is. Sets the exchange
 * property {@code hubDelivery} (a {@link ReceivedDelivery}), {@code hubStatus} (ping, accepted or ignored) and
 * {@code hubDedupeKey}; throws {@link WebhookRejection} for anything the sender got wrong.
 */
public final class GitWebhookVerifier implements Processor {

    public static final String STATUS_PROPERTY = ReceivedDelivery.STATUS_PROPERTY;

    private final Map<String, GitProviderAdapter> adapters;
    private final ServiceDirectory directory;
    private final RawFormBodies rawForms;
    private final ObjectMapper mapper;
    private final long maxBodyBytes;
    private final UnknownWebhooks unknown;

    public GitWebhookVerifier(Map<String, GitProviderAdapter> adapters, ServiceDirectory directory,
            RawFormBodies rawForms, ObjectMapper mapper, long maxBodyBytes, UnknownWebhooks unknown) {
        this.unknown = unknown;
        this.adapters = adapters;
        this.directory = directory;
        this.rawForms = rawForms;
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String providerName = exchange.getIn().getHeader("provider", String.class);
        String serviceId = exchange.getIn().getHeader("serviceId", String.class);
        ReceivedDelivery delivery = new ReceivedDelivery(
                providerName == null ? "unknown" : providerName.toLowerCase(Locale.ROOT), serviceId);
        exchange.setProperty(ReceivedDelivery.PROPERTY, delivery);

        HttpServerRequest http = ((HttpMessage) exchange.getIn()).getRequest();
        String formContentType = rawForms.formContentType(http);
        boolean form = formContentType != null;
        String contentType = form ? formContentType : http.getHeader("Content-Type");
        byte[] body = form ? rawForms.rawBody(http) : ReceivedBody.bytes(exchange);
        delivery.request(body, RequestHeaders.redactedJson(mapper, http.headers(), contentType));
        InboundRequest request = new InboundRequest(body == null ? new byte[0] : body, http::getHeader);

        GitProviderAdapter adapter = adapters.get(delivery.provider());
        Service service = directory.service(serviceId).orElse(null);
        if (service == null) {
            // nothing to attach a delivery-log row to: counted, not stored
            exchange.removeProperty(ReceivedDelivery.PROPERTY);
            unknown.count(delivery.provider());
        }
        if (adapter == null) {
            throw new WebhookRejection(404, "unknown_provider",
                    "unknown provider '" + providerName + "'; use one of " + adapters.keySet());
        }
        if (service == null) {
            throw new WebhookRejection(404, "unknown_service", "no service with id '" + serviceId + "'");
        }
        checkContentType(contentType, adapter);
        if (request.body().length > maxBodyBytes) {
            throw new WebhookRejection(413, "payload_too_large",
                    "body is larger than " + maxBodyBytes + " bytes");
        }

        WebhookSecrets secrets = directory.secrets(serviceId, adapter.name()).orElseThrow(() ->
                WebhookRejection.unauthorized("secret_not_configured", "no " + adapter.name()
                        + " webhook secret has been issued for this service; GET /api/containers/services/"
                        + serviceId + "/webhook-url?provider=" + adapter.name() + " first"));
        adapter.verify(request, secrets.validAt(Instant.now()));
        delivery.signatureValid(true);

        boolean inBody = adapter.identifiedByBody();
        JsonNode payload = inBody ? ReceivedBody.jsonObject(mapper, request.body()) : null;
        String event = adapter.event(request, payload);
        String deliveryId = adapter.deliveryId(request, payload);
        delivery.identify(deliveryId, event);
        if (event == null || event.isBlank()) {
            throw inBody ? WebhookRejection.badRequest("missing_field", "the " + adapter.name()
                    + " payload names no event type")
                    : WebhookRejection.badRequest("missing_header", "the " + adapter.name()
                    + " event header is missing");
        }
        if (deliveryId == null || deliveryId.isBlank()) {
            throw inBody ? WebhookRejection.badRequest("missing_field", "the " + adapter.name()
                    + " payload has no id")
                    : WebhookRejection.badRequest("missing_header", "the " + adapter.name()
                    + " delivery id header is missing");
        }
        if (deliveryId.length() > 200) {
            throw WebhookRejection.badRequest("invalid_header", "the delivery id is longer than 200 characters");
        }
        if (payload == null) {
            payload = ReceivedBody.jsonObject(mapper, form ? formPayload(request.body()) : request.body(),
                    adapter.pushFields(event));
        }

        if (adapter.isPing(event)) {
            delivery.decide(ReceivedDelivery.PING, "ping", null);
            exchange.setProperty(STATUS_PROPERTY, ReceivedDelivery.PING);
            return;
        }
        PushInfo push = adapter.push(event, payload, service.gitBranch()).orElse(null);
        String type = EventEnvelope.type(adapter.name(), event, push);
        DeliveryEvent queued = EventEnvelope.build(delivery, service, type, push, payload);
        String status = DeliveryStatus.ACCEPTED;
        String reason = null;
        if (push != null) {
            switch (push.kind()) {
                case TAG -> {
                    status = DeliveryStatus.IGNORED;
                    reason = "tag push does not start a build";
                }
                case BRANCH_DELETED -> {
                    status = DeliveryStatus.IGNORED;
                    reason = "branch deletion does not start a build";
                }
                case BRANCH -> {
                    if (!service.gitBranch().equals(push.refName())) {
                        status = DeliveryStatus.IGNORED;
                        reason = "push to branch '" + push.refName() + "'; the service builds '"
                                + service.gitBranch() + "'";
                    }
                }
            }
        }
        delivery.decide(status, reason, queued);
        String key = adapter.name() + ":" + serviceId + ":" + deliveryId;
        delivery.handOver(exchange, key);
        directory.rateLimit(serviceId).ifPresent(limit -> ReceivedDelivery.rateLimit(exchange, limit,
                "service:" + serviceId));
    }

    private static void checkContentType(String contentType, GitProviderAdapter adapter) {
        String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        boolean json = ct.equals("application/json");
        boolean form = ct.equals("application/x-www-form-urlencoded") && adapter instanceof GitHubAdapter;
        if (!json && !form) {
            throw new WebhookRejection(415, "unsupported_media_type", "Content-Type must be application/json"
                    + (adapter instanceof GitHubAdapter ? " or application/x-www-form-urlencoded" : "")
                    + (ct.isEmpty() ? " (none was sent)" : ", got " + ct));
        }
    }

    private static byte[] formPayload(byte[] raw) {
        byte[] json;
        try {
            json = GitHubFormBody.payloadField(raw);
        } catch (IllegalArgumentException e) {
            throw WebhookRejection.badRequest("malformed_form", "the payload field is not URL-encoded");
        }
        if (json == null) {
            throw WebhookRejection.badRequest("malformed_form", "form body has no payload field");
        }
        return json;
    }
}
