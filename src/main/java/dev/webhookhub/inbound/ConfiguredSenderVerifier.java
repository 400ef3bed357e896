package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.deliveries.DeliveryEvent;
import dev.webhookhub.deliveries.ReceivedDelivery;
import dev.webhookhub.security.SignatureScheme;
import dev.webhookhub.security.SignatureSchemes;
import dev.webhookhub.deliveries.DeliveryStatus;
import io.vertx.core.http.HttpServerRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The verify-and-parse step for a sender described only by settings, so that adding one is a YAML route and a few
 * lines of configuration (README "Adding a sender"). The route names the sender in the exchange property
 * {@value #SENDER_PROPERTY}; its settings are {@code hub.senders.<name>.scheme} (a scheme of the registry,
 * {@link SignatureSchemes}), {@code hub.senders.<name>.secret}, and optionally {@code .event-header} and
 * {@code .delivery-id-header} (else the body's {@code type}/{@code event_type} and {@code id}). Sets the same
 * exchange properties as the other verify steps, so the shared dedupe, record, queue and answer steps follow; the
 * queued event is {@code <name>.<event>} with the parsed body.
 */
public final class ConfiguredSenderVerifier implements Processor {

    public static final String SENDER_PROPERTY = "hubSender";
    static final String SETTINGS = "hub.senders.";

    private record Sender(String name, SignatureScheme scheme, List<String> secrets, String eventHeader,
            String deliveryIdHeader) {
    }

    private final SignatureSchemes schemes;
    private final ObjectMapper mapper;
    private final long maxBodyBytes;
    private final Map<String, Optional<Sender>> senders = new ConcurrentHashMap<>();

    public ConfiguredSenderVerifier(SignatureSchemes schemes, ObjectMapper mapper, long maxBodyBytes) {
        this.schemes = schemes;
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void process(Exchange exchange) {
        String name = exchange.getProperty(SENDER_PROPERTY, String.class);
        Sender sender = name == null ? null : senders.computeIfAbsent(name,
                n -> sender(exchange.getContext().getPropertiesComponent(), n)).orElse(null);
        if (sender == null) {
            throw new WebhookRejection(404, "unknown_webhook", "no sender '" + name + "' is configured ("
                    + SETTINGS + name + ".scheme and .secret)");
        }
        ReceivedDelivery delivery = ReceivedDelivery.start(exchange, sender.name(), null);
        HttpServerRequest http = ((HttpMessage) exchange.getIn()).getRequest();
        InboundRequest request = new InboundRequest(exchange.getIn().getBody(byte[].class), http::getHeader);
        ReceivedBody.requireJson(http.getHeader("Content-Type"), request.body().length, maxBodyBytes);
        WebhookRejection.require(sender.scheme().verify(delivery.signedRequest(exchange), sender.secrets()));
        delivery.signatureValid(true);

        JsonNode payload = ReceivedBody.jsonObject(mapper, request.body());
        String event = first(request.header(sender.eventHeader()), Json.text(payload, "type"),
                Json.text(payload, "event_type"));
        String senderId = first(request.header(sender.deliveryIdHeader()), Json.text(payload, "id"));
        if (senderId != null && senderId.length() > 200) {
            throw WebhookRejection.badRequest("invalid_header", "the delivery id is longer than 200 characters");
        }
        delivery.identify(senderId, event);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sender", sender.name());
        data.put("event", event);
        data.put("providerDeliveryId", senderId);
        delivery.decide(DeliveryStatus.ACCEPTED, null, new DeliveryEvent(delivery.id(), http.path(),
                sender.name() + "." + (event == null ? "unknown" : event), sender.name(), delivery.receivedAt(),
                data, payload));
        String key = sender.name() + ":" + (senderId != null ? senderId : delivery.id());
        delivery.handOver(exchange, key);
    }

    private Optional<Sender> sender(PropertiesComponent pc, String name) {
        Optional<SignatureScheme> scheme = pc.resolveProperty(SETTINGS + name + ".scheme").flatMap(schemes::byName);
        Optional<String> secret = pc.resolveProperty(SETTINGS + name + ".secret").filter(s -> !s.isBlank());
        if (scheme.isEmpty() || secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Sender(name, scheme.get(), List.of(secret.get()),
                pc.resolveProperty(SETTINGS + name + ".event-header").orElse("X-Event-Type"),
                pc.resolveProperty(SETTINGS + name + ".delivery-id-header").orElse("X-Delivery-Id")));
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
