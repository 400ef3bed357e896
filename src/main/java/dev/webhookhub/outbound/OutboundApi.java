package dev.webhookhub.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import dev.webhookhub.api.Requests;
import dev.webhookhub.security.CredentialMask;
import dev.webhookhub.security.DestinationPolicy;
import dev.webhookhub.security.SecretCipher;
import dev.webhookhub.store.TimeOrderedIds;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/** Handlers of the outbound admin API: endpoints (subscriptions), their messages, redelivery. */
public final class OutboundApi {

    static final Pattern EVENT_PATTERN = Pattern.compile("\\*|[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*(\\.\\*)?");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "content-type", "webhook-id", "webhook-timestamp", "webhook-signature",
            "x-jobserv-sig", "x-hub-signature-256", "x-webhook-hub-message-id", "x-webhook-hub-event",
            "x-webhook-hub-previous-signature");
    private static final Set<String> FIELDS = Set.of("url", "description", "event_types", "signature_scheme", "secret",
            "headers", "timeout_seconds", "enabled", "rate_limit", "rotate_secret");
    public static final String DEFAULT_SCHEME = StandardWebhooksSigner.SCHEME;

    private final ObjectMapper mapper;
    private final OutboundStore store;
    private final SecretCipher cipher;
    private final Duration rotationGrace;
    private final Clock clock;
    private final DestinationPolicy destinations;

    public OutboundApi(ObjectMapper mapper, OutboundStore store, SecretCipher cipher, Duration rotationGrace,
            Clock clock, DestinationPolicy destinations) {
        this.mapper = mapper;
        this.store = store;
        this.cipher = cipher;
        this.rotationGrace = rotationGrace;
        this.clock = clock;
        this.destinations = destinations;
    }

    // ---- endpoints

    public void create(Exchange exchange) {
        ObjectNode body = Requests.jsonObject(exchange, mapper);
        checkFields(body);
        if (!body.hasNonNull("url")) {
            throw ApiError.badRequest("invalid_field", "url is required");
        }
        if (!body.hasNonNull("event_types")) {
            throw ApiError.badRequest("invalid_field", "event_types is required");
        }
        String scheme = scheme(body.hasNonNull("signature_scheme") ? body.get("signature_scheme") : null);
        OutboundSigner signer = OutboundSigner.forScheme(scheme);
        String secret = body.hasNonNull("secret") ? secret(body.get("secret"), signer) : signer.newSecret();
        Instant now = clock.instant();
        String url = url(body.get("url"));
        if (CredentialMask.isMasked(url)) {
            throw ApiError.badRequest("invalid_url", "url holds the mask " + CredentialMask.MASK
                    + ": send the full URL");
        }
        checkDestination(destinations, url, "url");
        OutboundEndpoint e = new OutboundEndpoint(TimeOrderedIds.next(), url,
                description(body.get("description")), eventTypes(body.get("event_types")), scheme,
                cipher.encrypt(secret), null, null, headers(body.get("headers"), Map.of()),
                body.has("timeout_seconds") ? timeout(body.get("timeout_seconds")) : 30,
                body.has("enabled") ? bool(body.get("enabled"), "enabled") : true, rateLimit(body.get("rate_limit")),
                null, null, now, now);
        store.insertEndpoint(e);
        ObjectNode out = view(e);
        out.put("secret", secret);
        Requests.respond(exchange, 201, out, mapper);
    }

    /** Creates the endpoint unless one with the URL exists (PIPELINE_RESULTS_WEBHOOK_URL at start). */
    public OutboundEndpoint ensure(String url, List<String> eventTypes, String scheme, String secret) {
        return ensure(url, eventTypes, scheme, secret, "from PIPELINE_RESULTS_WEBHOOK_URL");
    }

    /**
     * Creates the endpoint unless one with the URL exists. With no event types it receives only the messages
     * addressed to it ({@link OutboundPublisher#sendTo}), as notification channels do.
     */
    public OutboundEndpoint ensure(String url, List<String> eventTypes, String scheme, String secret,
            String description) {
        return store.endpointByUrl(url).orElseGet(() -> {
            OutboundSigner signer = OutboundSigner.forScheme(scheme);
            Instant now = clock.instant();
            OutboundEndpoint e = new OutboundEndpoint(TimeOrderedIds.next(), url, description,
                    eventTypes, scheme, cipher.encrypt(secret == null || secret.isBlank() ? signer.newSecret() : secret),
                    null, null, Map.of(), 30, true, null, null, null, now, now);
            store.insertEndpoint(e);
            return e;
        });
    }

    public void list(Exchange exchange) {
        ArrayNode list = mapper.createArrayNode();
        for (OutboundEndpoint e : store.endpoints()) {
            list.add(view(e));
        }
        ObjectNode out = mapper.createObjectNode();
        out.set("endpoints", list);
        Requests.respond(exchange, 200, out, mapper);
    }

    public void get(Exchange exchange) {
        Requests.respond(exchange, 200, view(existing(exchange)), mapper);
    }

    public void update(Exchange exchange) {
        OutboundEndpoint old = existing(exchange);
        ObjectNode body = Requests.jsonObject(exchange, mapper);
        checkFields(body);
        Instant now = clock.instant();
        String scheme = body.hasNonNull("signature_scheme") ? scheme(body.get("signature_scheme"))
                : old.signatureScheme();
        OutboundSigner signer = OutboundSigner.forScheme(scheme);
        boolean rotate = body.has("rotate_secret") && bool(body.get("rotate_secret"), "rotate_secret");
        String newSecret = body.hasNonNull("secret") ? secret(body.get("secret"), signer)
                : rotate || !scheme.equals(old.signatureScheme()) && !schemeCompatible(old, signer) ? signer.newSecret()
                : null;
        String secretEnc = old.secretEnc();
        String previousEnc = old.previousSecretEnc();
        Instant previousUntil = old.previousValidUntil();
        if (newSecret != null) {
            previousEnc = old.secretEnc();
            previousUntil = now.plus(rotationGrace);
            secretEnc = cipher.encrypt(newSecret);
            if (!schemeCompatible(old, signer)) {
                previousEnc = null; // the old secret cannot sign in the new scheme
                previousUntil = null;
            }
        }
        String url = old.url();
        if (body.has("url")) {
            url = url(body.get("url"));
            if (url.equals(CredentialMask.url(old.url()))) {
                url = old.url(); // the masked URL sent back unchanged: keep the stored one
            } else if (CredentialMask.isMasked(url)) {
                throw ApiError.badRequest("invalid_url", "url holds the mask " + CredentialMask.MASK
                        + ": send the full URL, or the masked URL unchanged to keep the stored one");
            } else if (!url.equals(old.url())) {
                checkDestination(destinations, url, "url");
            }
        }
        boolean enabled = body.has("enabled") ? bool(body.get("enabled"), "enabled") : old.enabled();
        boolean reenabled = enabled && !old.enabled();
        OutboundEndpoint e = new OutboundEndpoint(old.id(),
                url,
                body.has("description") ? description(body.get("description")) : old.description(),
                body.has("event_types") ? eventTypes(body.get("event_types")) : old.eventTypes(), scheme, secretEnc,
                previousEnc, previousUntil, body.has("headers") ? headers(body.get("headers"), old.headers()) : old.headers(),
                body.has("timeout_seconds") ? timeout(body.get("timeout_seconds")) : old.timeoutSeconds(), enabled,
                body.has("rate_limit") ? rateLimit(body.get("rate_limit")) : old.rateLimit(),
                enabled ? null : old.disabledReason() == null ? "disabled by an operator" : old.disabledReason(),
                reenabled ? null : old.failingSince(), old.createdAt(), now);
        if (!store.updateEndpoint(e)) {
            throw ApiError.notFound("outbound endpoint");
        }
        ObjectNode out = view(e);
        if (newSecret != null) {
            out.put("secret", newSecret);
        }
        Requests.respond(exchange, 200, out, mapper);
    }

    private boolean schemeCompatible(OutboundEndpoint old, OutboundSigner signer) {
        return signer.checkSecret(cipher.decrypt(old.secretEnc())) == null;
    }

    public void delete(Exchange exchange) {
        String id = Requests.pathParam(exchange, "id");
        if (!store.deleteEndpoint(id)) {
            throw ApiError.notFound("outbound endpoint");
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
    }

    // ---- messages

    public void messagesOfEndpoint(Exchange exchange) {
        OutboundEndpoint e = existing(exchange);
        String status = Requests.query(exchange, "status");
        if (status != null && !Set.of(OutboundMessage.PENDING, OutboundMessage.DELIVERING, OutboundMessage.DELIVERED,
                OutboundMessage.FAILED, OutboundMessage.CANCELLED).contains(status)) {
            throw ApiError.badRequest("invalid_parameter", "status must be pending, delivering, delivered, failed or "
                    + "cancelled");
        }
        int limit = Requests.intParam(exchange, "limit", 100, 1, 1000);
        ArrayNode list = mapper.createArrayNode();
        for (OutboundMessage m : store.messagesOf(e.id(), status, limit)) {
            list.add(view(m));
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("endpoint_id", e.id());
        out.set("messages", list);
        Requests.respond(exchange, 200, out, mapper);
    }

    public void message(Exchange exchange) {
        OutboundMessage m = store.message(Requests.pathParam(exchange, "messageId"))
                .orElseThrow(() -> ApiError.notFound("outbound message"));
        ObjectNode out = view(m);
        String payload = new String(m.payload(), StandardCharsets.UTF_8);
        try {
            out.set("payload", mapper.readTree(payload));
        } catch (IOException ex) {
            out.put("payload", payload);
        }
        OutboundAttempt.writeAll(store.attempts(m.id()), out.putArray("attempt_history"));
        Requests.respond(exchange, 200, out, mapper);
    }

    public void redeliver(Exchange exchange) {
        String id = Requests.pathParam(exchange, "messageId");
        store.message(id).orElseThrow(() -> ApiError.notFound("outbound message"));
        if (!store.redeliver(id, clock.instant())) {
            throw new ApiError(409, "in_delivery", "the message is being delivered now; try again shortly");
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("id", id);
        out.put("status", OutboundMessage.PENDING);
        Requests.respond(exchange, 202, out, mapper);
    }

    /** {@code POST /api/outbound/endpoints/{id}/recover?since=<ISO-8601>}: queues the failed messages again. */
    public void recover(Exchange exchange) {
        OutboundEndpoint e = existing(exchange);
        String since = Requests.query(exchange, "since");
        Instant from;
        try {
            from = since == null ? null : java.time.OffsetDateTime.parse(since.trim()).toInstant();
        } catch (java.time.format.DateTimeParseException ex) {
            from = null;
        }
        if (from == null) {
            throw ApiError.badRequest("invalid_parameter",
                    "since must be an ISO-8601 time with offset, e.g. 2026-01-31T00:00:00Z");
        }
        int n = store.recoverFailed(e.id(), from, clock.instant());
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("endpoint_id", e.id());
        out.put("requeued", n);
        Requests.respond(exchange, 202, out, mapper);
    }

    // ---- views and validation

    private OutboundEndpoint existing(Exchange exchange) {
        return store.endpoint(Requests.pathParam(exchange, "id"))
                .orElseThrow(() -> ApiError.notFound("outbound endpoint"));
    }

    private ObjectNode view(OutboundEndpoint e) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", e.id());
        n.put("url", CredentialMask.url(e.url()));
        n.put("description", e.description());
        ArrayNode types = n.putArray("event_types");
        e.eventTypes().forEach(types::add);
        n.put("signature_scheme", e.signatureScheme());
        ObjectNode h = n.putObject("headers");
        CredentialMask.headers(e.headers()).forEach(h::put);
        n.put("timeout_seconds", e.timeoutSeconds());
        n.put("enabled", e.enabled());
        if (e.rateLimit() == null) {
            n.putNull("rate_limit");
        } else {
            n.put("rate_limit", e.rateLimit());
        }
        n.put("disabled_reason", e.disabledReason());
        n.put("failing_since", e.failingSince() == null ? null : e.failingSince().toString());
        n.put("previous_secret_valid_until",
                e.previousSecretEnc() == null || e.previousValidUntil() == null ? null
                        : e.previousValidUntil().toString());
        n.put("created_at", e.createdAt().toString());
        n.put("updated_at", e.updatedAt().toString());
        return n;
    }

    private ObjectNode view(OutboundMessage m) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", m.id());
        n.put("endpoint_id", m.endpointId());
        n.put("event_type", m.eventType());
        n.put("status", m.status());
        n.put("attempts", m.attempts());
        n.put("next_attempt_at", m.nextAttemptAt() == null ? null : m.nextAttemptAt().toString());
        if (m.lastStatusCode() == null) {
            n.putNull("last_status_code");
        } else {
            n.put("last_status_code", m.lastStatusCode());
        }
        n.put("last_error", m.lastError());
        n.put("created_at", m.createdAt().toString());
        n.put("delivered_at", m.deliveredAt() == null ? null : m.deliveredAt().toString());
        return n;
    }

    private static void checkFields(ObjectNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiError.badRequest("unknown_field", "unknown field '" + f + "'");
            }
        }
    }

    /** An http(s) URL of at most 2000 characters, or a 400 {@code invalid_url}. */
    public static String url(JsonNode node) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw ApiError.badRequest("invalid_url", "url must be an http or https URL");
        }
        String s = node.asText().trim();
        try {
            URI u = new URI(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || s.length() > 2000) {
                throw ApiError.badRequest("invalid_url", "url must be an http or https URL");
            }
        } catch (URISyntaxException e) {
            throw ApiError.badRequest("invalid_url", "url must be an http or https URL");
        }
        return s;
    }

    private static String description(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().length() > 1000) {
            throw ApiError.badRequest("invalid_field", "description must be a string of at most 1000 characters");
        }
        return node.asText();
    }

    static List<String> eventTypes(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiError.badRequest("invalid_event_types",
                    "event_types must be a non-empty array of event names or prefixes such as pipeline.*");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode t : node) {
            if (!t.isTextual() || t.asText().length() > 255 || !EVENT_PATTERN.matcher(t.asText()).matches()) {
                throw ApiError.badRequest("invalid_event_types", "bad event type pattern " + t
                        + ": use exact names (build.completed), prefixes (pipeline.*) or *");
            }
            if (!out.contains(t.asText())) {
                out.add(t.asText());
            }
        }
        return out;
    }

    private static String scheme(JsonNode node) {
        if (node == null) {
            return DEFAULT_SCHEME;
        }
        String s = node.isTextual() ? node.asText().toLowerCase(Locale.ROOT) : "";
        if (!OutboundSigner.SCHEMES.contains(s)) {
            throw ApiError.badRequest("invalid_signature_scheme",
                    "signature_scheme must be one of " + String.join(", ", OutboundSigner.SCHEMES));
        }
        return s;
    }

    private static String secret(JsonNode node, OutboundSigner signer) {
        if (!node.isTextual()) {
            throw ApiError.badRequest("invalid_secret", "secret must be a string");
        }
        String problem = signer.checkSecret(node.asText());
        if (problem != null || node.asText().length() > 200) {
            throw ApiError.badRequest("invalid_secret", problem == null ? "secret is too long" : problem);
        }
        return node.asText();
    }

    /**
     * A 400 {@code destination_not_allowed} naming the field when the URL's host is, or resolves to, an address the
     * hub may not send to (see {@link DestinationPolicy}); checked again on every connection.
     */
    public static void checkDestination(DestinationPolicy policy, String url, String field) {
        String refused = policy.check(url);
        if (refused != null) {
            throw ApiError.badRequest("destination_not_allowed", field + ": " + refused);
        }
    }

    /** The headers given; a value sent back as the mask keeps the stored value of that header. */
    private static Map<String, String> headers(JsonNode node, Map<String, String> stored) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw ApiError.badRequest("invalid_headers", "headers must be an object of header names to strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!HEADER_NAME.matcher(f.getKey()).matches() || !f.getValue().isTextual()
                    || f.getValue().asText().contains("\n") || f.getValue().asText().contains("\r")) {
                throw ApiError.badRequest("invalid_headers", "bad header " + f.getKey());
            }
            if (RESERVED_HEADERS.contains(f.getKey().toLowerCase(Locale.ROOT))) {
                throw ApiError.badRequest("invalid_headers", "header " + f.getKey() + " is set by the hub");
            }
            String value = f.getValue().asText();
            if (value.equals(CredentialMask.MASK)) {
                value = stored.entrySet().stream().filter(s -> s.getKey().equalsIgnoreCase(f.getKey()))
                        .map(Map.Entry::getValue).findFirst().orElseThrow(() -> ApiError.badRequest(
                                "invalid_headers", "header " + f.getKey() + " is the mask " + CredentialMask.MASK
                                        + " but has no stored value to keep: send its value"));
            }
            out.put(f.getKey(), value);
        }
        return out;
    }

    private static int timeout(JsonNode node) {
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1
                || node.asInt() > 300) {
            throw ApiError.badRequest("invalid_timeout", "timeout_seconds must be a whole number from 1 to 300");
        }
        return node.asInt();
    }

    private static Integer rateLimit(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1) {
            throw ApiError.badRequest("invalid_rate_limit", "rate_limit must be a positive whole number or null");
        }
        return node.asInt();
    }

    private static boolean bool(JsonNode node, String name) {
        if (node == null || !node.isBoolean()) {
            throw ApiError.badRequest("invalid_field", name + " must be true or false");
        }
        return node.asBoolean();
    }
}
