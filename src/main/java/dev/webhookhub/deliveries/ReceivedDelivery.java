package dev.webhookhub.deliveries;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.inbound.ReceivedBody;
import dev.webhookhub.inbound.RequestHeaders;
import dev.webhookhub.security.SignedRequest;
import dev.webhookhub.store.TimeOrderedIds;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.Arrays;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/** One delivery on its way through the receiver route; becomes a webhook_deliveries row. */
public final class ReceivedDelivery {

    public static final String PROPERTY = "hubDelivery";
    /** Exchange properties the shared receiver steps read (dedupe, record, rate limit, queue). */
    public static final String STATUS_PROPERTY = "hubStatus";
    public static final String DEDUPE_KEY_PROPERTY = "hubDedupeKey";
    public static final String EVENT_PROPERTY = "hubEvent";
    public static final String RATE_LIMIT_PROPERTY = "hubRateLimit";
    public static final String RATE_KEY_PROPERTY = "hubRateKey";
    /** Statuses the receiver decides before recording; see DeliveryStatus for the stored ones. */
    public static final String PING = "ping";

    private static final ObjectMapper HEADERS_JSON = new ObjectMapper();

    private final String id = TimeOrderedIds.next();
    private final long startNanos = System.nanoTime();
    private final Instant receivedAt = Instant.now();
    private final String provider;
    private final String serviceId;
    private String providerDeliveryId;
    private String event;
    private byte[] payload;
    private String headersJson;
    private Boolean signatureValid;
    private String status;
    private String reason;
    private DeliveryEvent queuedEvent;
    private String idempotencyKey;

    public ReceivedDelivery(String provider, String serviceId) {
        this.provider = provider;
        this.serviceId = serviceId;
    }

    /**
     * The receive step shared by the receivers whose sender needs no more (Jenkins, FoundriesFactory): starts the
     * delivery of {@code ownerId} (its raw body, read before anything parses it, and its redacted headers), puts it
     * on the exchange and leaves the raw bytes as the body for the parse step.
     */
    public static ReceivedDelivery start(Exchange exchange, String provider, String ownerId) {
        ReceivedDelivery delivery = new ReceivedDelivery(provider, ownerId);
        exchange.setProperty(PROPERTY, delivery);
        byte[] body = ReceivedBody.bytes(exchange);
        exchange.getIn().setBody(body);
        HttpServerRequest http = exchange.getIn() instanceof HttpMessage m ? m.getRequest() : null;
        delivery.request(body, http == null ? "{}"
                : RequestHeaders.redactedJson(HEADERS_JSON, http.headers(), http.getHeader("Content-Type")));
        return delivery;
    }

    /** The receiving HTTP request as the signature schemes see it (headers, query parameters, raw body). */
    public SignedRequest signedRequest(Exchange exchange) {
        HttpServerRequest http = exchange.getIn() instanceof HttpMessage m ? m.getRequest() : null;
        return http != null ? new SignedRequest(payload == null ? new byte[0] : payload, http::getHeader,
                http::getParam)
                : new SignedRequest(payload == null ? new byte[0] : payload,
                        name -> exchange.getIn().getHeader(name, String.class));
    }

    public String id() {
        return id;
    }

    public String provider() {
        return provider;
    }

    public String serviceId() {
        return serviceId;
    }

    public String providerDeliveryId() {
        return providerDeliveryId;
    }

    public String event() {
        return event;
    }

    public String status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** The typed event queued for an accepted delivery (null otherwise). */
    public DeliveryEvent queuedEvent() {
        return queuedEvent;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    public void request(byte[] payload, String headersJson) {
        this.payload = payload;
        this.headersJson = headersJson;
    }

    public void identify(String providerDeliveryId, String event) {
        this.providerDeliveryId = providerDeliveryId;
        this.event = event;
    }

    public void signatureValid(boolean valid) {
        this.signatureValid = valid;
    }

    public void decide(String status, String reason, DeliveryEvent queuedEvent) {
        this.status = status;
        this.reason = reason;
        this.queuedEvent = queuedEvent;
    }

    private void idempotencyKey(String key) {
        this.idempotencyKey = key;
    }

    /**
     * Hands a decided delivery to the shared steps of the receiver route: its dedupe key (stored with the row), its
     * status and the typed event to queue, as exchange properties.
     */
    public void handOver(Exchange exchange, String dedupeKey) {
        idempotencyKey(dedupeKey);
        exchange.setProperty(STATUS_PROPERTY, status);
        exchange.setProperty(DEDUPE_KEY_PROPERTY, dedupeKey);
        exchange.setProperty(EVENT_PROPERTY, queuedEvent);
    }

    /** Puts the delivery under a per-minute rate limit shared by every delivery with {@code key}. */
    public static void rateLimit(Exchange exchange, int perMinute, String key) {
        exchange.setProperty(RATE_LIMIT_PROPERTY, perMinute);
        exchange.setProperty(RATE_KEY_PROPERTY, key);
    }

    public void markRejected(String reason) {
        this.status = DeliveryStatus.REJECTED;
        this.reason = reason;
        this.queuedEvent = null;
    }

    public void markDuplicate() {
        this.status = DeliveryStatus.DUPLICATE;
        this.reason = "already received";
        this.queuedEvent = null;
    }

    /** The row for a delivery the hub answered with {@code responseCode}. */
    public DeliveryRecord toRecord(int responseCode, String error, int payloadCap) {
        boolean takenIn = idempotencyKey != null
                && (DeliveryStatus.ACCEPTED.equals(status) || DeliveryStatus.IGNORED.equals(status));
        byte[] stored = payload;
        boolean truncated = false;
        if (payload != null && !takenIn && payload.length > payloadCap) {
            stored = Arrays.copyOf(payload, payloadCap);
            truncated = true;
        }
        String storedStatus = PING.equals(status) ? DeliveryStatus.IGNORED : status;
        return new DeliveryRecord(id, provider, serviceId, providerDeliveryId, event, stored,
                payload == null ? 0 : payload.length, truncated, headersJson, signatureValid, storedStatus,
                responseCode, (int) ((System.nanoTime() - startNanos) / 1_000_000),
                queuedEvent == null ? null : queuedEvent.toJson(), error, receivedAt,
                takenIn ? idempotencyKey : null);
    }
}
