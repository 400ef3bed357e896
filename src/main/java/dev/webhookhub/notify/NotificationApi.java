package dev.webhookhub.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import dev.webhookhub.api.Requests;
import dev.webhookhub.events.EventTypes;
import dev.webhookhub.outbound.OutboundApi;
import dev.webhookhub.outbound.OutboundEndpoint;
import dev.webhookhub.outbound.OutboundMessage;
import dev.webhookhub.outbound.OutboundStore;
import dev.webhookhub.security.CredentialMask;
import dev.webhookhub.security.DestinationPolicy;
import dev.webhookhub.store.TimeOrderedIds;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mail.MailConstants;

/** Handlers of {@code /api/notifications}: settings, their messages, and the SMTP test. */
public final class NotificationApi {

    private static final Set<String> FIELDS = Set.of("notification_type", "event_triggers", "recipients", "settings",
            "is_active", "scope", "service_id", "sync_config_id");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]"
            + "(?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    private static final int MAX_RECIPIENTS = 50;
    private static final int MAX_SETTINGS_CHARS = 10_000;

    private final ObjectMapper mapper;
    private final NotificationStore store;
    private final NotificationSettingsCache cache;
    private final UrlChannels channels;
    private final OutboundStore outboundStore;
    private final MailOutbox mail;
    private final SmtpSettings smtp;
    private final ProducerTemplate producer;
    private final Clock clock;
    private final DestinationPolicy destinations;

    public NotificationApi(ObjectMapper mapper, NotificationStore store, NotificationSettingsCache cache,
            UrlChannels channels, OutboundStore outboundStore, MailOutbox mail, SmtpSettings smtp,
            ProducerTemplate producer, Clock clock, DestinationPolicy destinations) {
        this.mapper = mapper;
        this.store = store;
        this.cache = cache;
        this.channels = channels;
        this.outboundStore = outboundStore;
        this.mail = mail;
        this.smtp = smtp;
        this.producer = producer;
        this.clock = clock;
        this.destinations = destinations;
    }

    // ---- settings

    public void list(Exchange exchange) {
        String type = Requests.query(exchange, "notification_type");
        if (type != null && !NotificationSetting.TYPES.contains(type)) {
            throw ApiError.badRequest("invalid_parameter", "notification_type must be one of "
                    + String.join(", ", NotificationSetting.TYPES));
        }
        ArrayNode list = mapper.createArrayNode();
        for (NotificationSetting s : store.settings(blankToNull(Requests.query(exchange, "service_id")),
                blankToNull(Requests.query(exchange, "sync_config_id")), type)) {
            list.add(view(s));
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.set("notifications", list);
        Requests.respond(exchange, 200, out, mapper);
    }

    public void get(Exchange exchange) {
        Requests.respond(exchange, 200, view(existing(exchange)), mapper);
    }

    public void create(Exchange exchange) {
        ObjectNode body = Requests.jsonObject(exchange, mapper);
        checkFields(body);
        if (!body.hasNonNull("notification_type")) {
            throw ApiError.badRequest("invalid_notification_type", "notification_type is required: one of "
                    + String.join(", ", NotificationSetting.TYPES));
        }
        String type = type(body.get("notification_type"));
        if (!body.has("event_triggers")) {
            throw ApiError.badRequest("invalid_event_triggers", "event_triggers is required");
        }
        if (!body.has("recipients")) {
            throw ApiError.badRequest("invalid_recipients", "recipients is required");
        }
        String[] scope = scope(body, null, null);
        Instant now = now();
        NotificationSetting s = new NotificationSetting(TimeOrderedIds.next(), type,
                eventTriggers(body.get("event_triggers")), checked(recipients(body.get("recipients"), type), type,
                        List.of()),
                settings(body.get("settings")), !body.has("is_active") || bool(body.get("is_active"), "is_active"),
                scope[0], scope[1], now, now);
        store.insertSetting(s);
        cache.invalidate();
        ObjectNode out = view(s);
        out.put("success", true);
        Requests.respond(exchange, 201, out, mapper);
    }

    public void update(Exchange exchange) {
        NotificationSetting old = existing(exchange);
        ObjectNode body = Requests.jsonObject(exchange, mapper);
        checkFields(body);
        String type = body.has("notification_type") ? type(body.get("notification_type")) : old.type();
        List<String> recipients = body.has("recipients")
                ? checked(recipients(body.get("recipients"), type), type, old.recipients())
                : recipients(mapper.valueToTree(old.recipients()), type);
        String[] scope = scope(body, old.serviceId(), old.syncConfigId());
        NotificationSetting s = new NotificationSetting(old.id(), type,
                body.has("event_triggers") ? eventTriggers(body.get("event_triggers")) : old.eventTriggers(),
                recipients, body.has("settings") ? settings(body.get("settings")) : old.settingsJson(),
                body.has("is_active") ? bool(body.get("is_active"), "is_active") : old.active(), scope[0], scope[1],
                old.createdAt(), now());
        if (!store.updateSetting(s)) {
            throw ApiError.notFound("notification setting");
        }
        cache.invalidate();
        ObjectNode out = view(s);
        out.put("success", true);
        Requests.respond(exchange, 200, out, mapper);
    }

    public void delete(Exchange exchange) {
        if (!store.deleteSetting(Requests.pathParam(exchange, "id"))) {
            throw ApiError.notFound("notification setting");
        }
        cache.invalidate();
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
    }

    // ---- messages

    /**
     * The setting's messages, newest first: its e-mails from the notification outbox, or for URL channels the
     * outbound messages of its recipients' endpoints (redeliver those through /api/outbound/messages).
     */
    public void messages(Exchange exchange) {
        NotificationSetting s = existing(exchange);
        String status = Requests.query(exchange, "status");
        int limit = Requests.intParam(exchange, "limit", 100, 1, 1000);
        ObjectNode out = mapper.createObjectNode();
        out.put("setting_id", s.id());
        out.put("notification_type", s.type());
        ArrayNode list = out.putArray("messages");
        if (s.isEmail()) {
            if (status != null && !MailMessage.STATUSES.contains(status)) {
                throw ApiError.badRequest("invalid_parameter", "status must be one of "
                        + String.join(", ", MailMessage.STATUSES));
            }
            for (MailMessage m : store.messagesOf(s.id(), status, limit)) {
                list.add(view(m));
            }
        } else {
            for (String url : s.recipients()) {
                Optional<OutboundEndpoint> e = channels.existingEndpoint(url);
                if (e.isEmpty()) {
                    continue;
                }
                for (OutboundMessage m : outboundStore.messagesOf(e.get().id(), status, limit)) {
                    ObjectNode n = list.addObject();
                    n.put("id", m.id());
                    n.put("channel", s.type());
                    n.put("recipient", CredentialMask.url(url));
                    n.put("endpoint_id", e.get().id());
                    n.put("event_type", m.eventType());
                    n.put("status", m.status());
                    n.put("attempts", m.attempts());
                    n.put("next_attempt_at", m.nextAttemptAt() == null ? null : m.nextAttemptAt().toString());
                    n.put("last_error", m.lastError());
                    n.put("created_at", m.createdAt().toString());
                    n.put("delivered_at", m.deliveredAt() == null ? null : m.deliveredAt().toString());
                }
            }
        }
        Requests.respond(exchange, 200, out, mapper);
    }

    public void redeliver(Exchange exchange) {
        String id = Requests.pathParam(exchange, "messageId");
        store.message(id).orElseThrow(() -> ApiError.notFound("notification message"));
        if (!store.redeliver(id, clock.instant())) {
            throw new ApiError(409, "in_delivery", "the message is being sent or was sent; nothing to redeliver");
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("id", id);
        out.put("status", MailMessage.PENDING);
        Requests.respond(exchange, 202, out, mapper);
    }

    // ---- SMTP test

    /**
     * Sends a test e-mail at once and answers whether the SMTP server accepted it: 200 with {@code accepted} true,
     * or false with the server's error (or that SMTP is not configured).
     */
    public void test(Exchange exchange) {
        ObjectNode body = Requests.jsonObject(exchange, mapper);
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!f.equals("recipients")) {
                throw ApiError.badRequest("unknown_field", "unknown field '" + f + "'");
            }
        }
        if (!body.has("recipients")) {
            throw ApiError.badRequest("invalid_recipients", "recipients is required");
        }
        List<String> recipients = recipients(body.get("recipients"), NotificationSetting.EMAIL);
        ObjectNode out = mapper.createObjectNode();
        ArrayNode to = out.putArray("recipients");
        recipients.forEach(to::add);
        out.put("smtp_configured", smtp.configured());
        if (!smtp.configured()) {
            out.put("success", false);
            out.put("accepted", false);
            out.put("code", "smtp_not_configured");
            out.put("error", "SMTP is not configured: set SMTP_HOST (and SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASS, "
                    + "SMTP_FROM) and restart the hub");
            Requests.respond(exchange, 200, out, mapper);
            return;
        }
        RenderedMessage m = mail.testMessage(Map.of());
        Exchange sent = producer.send(smtp.uri(), e -> {
            e.getMessage().setHeader(MailConstants.MAIL_TO, String.join(", ", recipients));
            e.getMessage().setHeader(MailConstants.MAIL_SUBJECT, m.subject());
            e.getMessage().setHeader(MailConstants.MAIL_ALTERNATIVE_BODY, m.text());
            e.getMessage().setBody(m.html());
        });
        out.put("server", smtp.host() + ":" + smtp.port());
        Exception failure = sent.getException();
        if (failure == null) {
            out.put("success", true);
            out.put("accepted", true);
            out.put("subject", m.subject());
        } else {
            out.put("success", false);
            out.put("accepted", false);
            out.put("code", "smtp_error");
            out.put("error", MailOutbox.describe(failure));
        }
        Requests.respond(exchange, 200, out, mapper);
    }

    // ---- views and validation

    private NotificationSetting existing(Exchange exchange) {
        return store.setting(Requests.pathParam(exchange, "id"))
                .orElseThrow(() -> ApiError.notFound("notification setting"));
    }

    private ObjectNode view(NotificationSetting s) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", s.id());
        n.put("notification_type", s.type());
        ArrayNode triggers = n.putArray("event_triggers");
        s.eventTriggers().forEach(triggers::add);
        ArrayNode recipients = n.putArray("recipients");
        s.recipients().forEach(r -> recipients.add(s.isEmail() ? r : CredentialMask.url(r)));
        n.set("settings", s.settingsJson() == null ? mapper.createObjectNode()
                : Requests.storedJson(mapper, s.settingsJson()));
        n.put("is_active", s.active());
        n.put("scope", s.scope());
        n.put("service_id", s.serviceId());
        n.put("sync_config_id", s.syncConfigId());
        n.put("created_at", s.createdAt().toString());
        n.put("updated_at", s.updatedAt().toString());
        return n;
    }

    private ObjectNode view(MailMessage m) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", m.id());
        n.put("channel", NotificationSetting.EMAIL);
        n.put("event_type", m.eventType());
        n.put("event_id", m.eventId());
        n.put("subject_key", m.subjectKey());
        ArrayNode to = n.putArray("recipients");
        m.recipients().forEach(to::add);
        n.put("subject", m.subject());
        n.put("status", m.status());
        n.put("attempts", m.attempts());
        n.put("next_attempt_at", m.nextAttemptAt() == null ? null : m.nextAttemptAt().toString());
        n.put("last_error", m.lastError());
        n.put("created_at", m.createdAt().toString());
        n.put("sent_at", m.sentAt() == null ? null : m.sentAt().toString());
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

    private static String type(JsonNode node) {
        if (node == null || !node.isTextual() || !NotificationSetting.TYPES.contains(node.asText())) {
            throw ApiError.badRequest("invalid_notification_type", "notification_type must be one of "
                    + String.join(", ", NotificationSetting.TYPES));
        }
        return node.asText();
    }

    private static List<String> eventTriggers(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiError.badRequest("invalid_event_triggers", "event_triggers must be a non-empty array of event "
                    + "names: " + String.join(", ", EventTypes.ALL));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode t : node) {
            if (!t.isTextual() || !EventTypes.isKnown(t.asText())) {
                throw ApiError.badRequest("invalid_event_triggers", "event_triggers: unknown event " + t
                        + "; known events: " + String.join(", ", EventTypes.ALL));
            }
            if (!out.contains(t.asText())) {
                out.add(t.asText());
            }
        }
        return out;
    }

    private static List<String> recipients(JsonNode node, String type) {
        boolean email = NotificationSetting.EMAIL.equals(type);
        String what = email ? "e-mail addresses" : "http or https URLs";
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_RECIPIENTS) {
            throw ApiError.badRequest("invalid_recipients", "recipients must be an array of 1 to " + MAX_RECIPIENTS
                    + " " + what);
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonNode r : node) {
            String value = r.isTextual() ? r.asText().trim() : null;
            if (email) {
                if (value == null || value.length() > 254 || !EMAIL.matcher(value).matches()) {
                    throw ApiError.badRequest("invalid_recipients", "recipients[" + i + "] " + r
                            + " is not a valid e-mail address");
                }
            } else {
                try {
                    value = OutboundApi.url(r);
                } catch (ApiError e) {
                    throw ApiError.badRequest("invalid_recipients", "recipients[" + i + "] " + r
                            + " is not an http or https URL (a " + type + " channel sends to URLs)");
                }
            }
            if (!out.contains(value)) {
                out.add(value);
            }
            i++;
        }
        return out;
    }

    /**
     * URL recipients as they will be stored: a masked URL sent back unchanged stands for the stored URL it masks
     * (400 when there is none), and a new URL must not be, or resolve to, a refused address.
     */
    private List<String> checked(List<String> recipients, String type, List<String> stored) {
        if (NotificationSetting.EMAIL.equals(type)) {
            return recipients;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            String r = recipients.get(i);
            if (!stored.contains(r)) {
                String given = r;
                Optional<String> kept = stored.stream().filter(u -> CredentialMask.url(u).equals(given)).findFirst();
                if (kept.isPresent()) {
                    r = kept.get();
                } else if (CredentialMask.isMasked(r)) {
                    throw ApiError.badRequest("invalid_recipients", "recipients[" + i + "] holds the mask "
                            + CredentialMask.MASK + ": send the full URL, or the masked URL unchanged to keep the "
                            + "stored one");
                } else {
                    OutboundApi.checkDestination(destinations, r, "recipients[" + i + "]");
                }
            }
            if (!out.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }

    private String settings(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || node.toString().length() > MAX_SETTINGS_CHARS) {
            throw ApiError.badRequest("invalid_settings", "settings must be a JSON object of at most "
                    + MAX_SETTINGS_CHARS + " characters");
        }
        return node.toString();
    }

    /** [service_id, sync_config_id] after the body's scope fields, starting from the current ones. */
    private String[] scope(ObjectNode body, String serviceId, String syncConfigId) {
        String service = serviceId;
        String sync = syncConfigId;
        if (body.has("service_id")) {
            service = serviceId(body.get("service_id"));
            if (service != null && !body.has("sync_config_id")) {
                sync = null;
            }
        }
        if (body.has("sync_config_id")) {
            sync = syncConfigId(body.get("sync_config_id"));
            if (sync != null && !body.has("service_id")) {
                service = null;
            }
        }
        if (body.has("scope")) {
            JsonNode s = body.get("scope");
            String scope = s != null && s.isTextual() ? s.asText() : "";
            switch (scope) {
                case NotificationSetting.SCOPE_GLOBAL -> {
                    if (body.hasNonNull("service_id") || body.hasNonNull("sync_config_id")) {
                        throw ApiError.badRequest("invalid_scope", "scope global takes no service_id or "
                                + "sync_config_id");
                    }
                    service = null;
                    sync = null;
                }
                case NotificationSetting.SCOPE_SERVICE -> {
                    if (service == null) {
                        throw ApiError.badRequest("invalid_scope", "scope service needs a service_id");
                    }
                    sync = null;
                }
                case NotificationSetting.SCOPE_SYNC_CONFIG -> {
                    if (sync == null) {
                        throw ApiError.badRequest("invalid_scope", "scope sync_config needs a sync_config_id");
                    }
                    service = null;
                }
                default -> throw ApiError.badRequest("invalid_scope", "scope must be one of "
                        + String.join(", ", NotificationSetting.SCOPES));
            }
        }
        if (service != null && sync != null) {
            throw ApiError.badRequest("invalid_scope", "a setting is scoped to a service or to a sync config, not both");
        }
        if (service != null && !service.equals(serviceId) && !store.serviceExists(service)) {
            throw ApiError.badRequest("invalid_service_id", "service_id " + service + " does not exist");
        }
        if (sync != null && !sync.equals(syncConfigId) && !store.syncConfigExists(sync)) {
            throw ApiError.badRequest("invalid_sync_config_id", "sync_config_id " + sync + " does not exist");
        }
        return new String[] { service, sync };
    }

    private static String serviceId(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > 36) {
            throw ApiError.badRequest("invalid_service_id", "service_id must be a service's id");
        }
        return node.asText();
    }

    private static String syncConfigId(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() || node.isTextual() && !node.asText().isBlank() && node.asText().length() <= 100) {
            return node.asText();
        }
        throw ApiError.badRequest("invalid_sync_config_id", "sync_config_id must be a sync config's id");
    }

    private static boolean bool(JsonNode node, String name) {
        if (node == null || !node.isBoolean()) {
            throw ApiError.badRequest("invalid_field", name + " must be true or false");
        }
        return node.asBoolean();
    }

    /** Microseconds: what both stores keep, so an answer shows what a later read returns. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
