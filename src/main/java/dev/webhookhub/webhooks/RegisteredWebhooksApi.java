package dev.webhookhub.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import dev.webhookhub.api.Requests;
import dev.webhookhub.api.ServicesApi;
import dev.webhookhub.deliveries.DeliveryLog;
import dev.webhookhub.deliveries.DeliveryPayloads;
import dev.webhookhub.deliveries.DeliveryReplay;
import dev.webhookhub.security.RandomSecrets;
import dev.webhookhub.store.Page;
import dev.webhookhub.store.ServiceStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;

/** Handlers for /api/webhooks: register, list, read, change, delete, rotate, deliveries and replay. */
public final class RegisteredWebhooksApi {

    private static final int MAX_EVENT_TYPES = 100;

    private final ObjectMapper mapper;
    private final RegisteredWebhookStore store;
    private final RegisteredWebhookDirectory directory;
    private final DeliveryLog deliveries;
    private final DeliveryPayloads payloads;
    private final DeliveryReplay replay;
    private final ServiceStore services;
    private final SyncTrigger sync;
    private final String publicUrl;
    private final Duration rotationGrace;

    public RegisteredWebhooksApi(ObjectMapper mapper, RegisteredWebhookStore store,
            RegisteredWebhookDirectory directory, DeliveryLog deliveries, DeliveryPayloads payloads,
            DeliveryReplay replay, ServiceStore services, SyncTrigger sync, String publicUrl, Duration rotationGrace) {
        this.mapper = mapper;
        this.store = store;
        this.directory = directory;
        this.deliveries = deliveries;
        this.payloads = payloads;
        this.replay = replay;
        this.services = services;
        this.sync = sync;
        this.publicUrl = publicUrl;
        this.rotationGrace = rotationGrace;
    }

    public void register(Exchange exchange) {
        ObjectNode body = Requests.jsonObject(exchange, mapper);
        RegisteredWebhook draft = new RegisteredWebhook(null, requiredName(body), null,
                syncConfig(body, null), idField(body, "connector_id", null),
                eventTypes(body, List.of()), metadata(body, null), active(body, true), rateLimit(body, null), 0,
                null, null, null);
        String url = "webhook_" + java.util.HexFormat.of().formatHex(RandomSecrets.bytes(16));
        RegisteredWebhookStore.Issued issued = store.register(draft, url, RandomSecrets.standardWebhooksSecret());
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("message", "Webhook registered successfully");
        ObjectNode w = json(issued.webhook());
        w.put("secret", issued.secret());
        out.set("webhook", w);
        Requests.respond(exchange, 201, out, mapper);
    }

    public void list(Exchange exchange) {
        int limit = Requests.intParam(exchange, "limit", 50, 1, 1000);
        int offset = Requests.intParam(exchange, "offset", 0, 0, Integer.MAX_VALUE);
        Page<RegisteredWebhook> page = store.list(limit, offset);
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("total", page.total());
        out.put("count", page.items().size());
        ArrayNode items = out.putArray("webhooks");
        page.items().forEach(w -> items.add(json(w)));
        Requests.respond(exchange, 200, out, mapper);
    }

    public void get(Exchange exchange) {
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.set("webhook", json(existing(exchange)));
        Requests.respond(exchange, 200, out, mapper);
    }

    public void update(Exchange exchange) {
        RegisteredWebhook current = existing(exchange);
        ObjectNode body = Requests.jsonObject(exchange, mapper);
        RegisteredWebhook changed = new RegisteredWebhook(current.id(),
                body.has("name") ? requiredName(body) : current.name(), current.webhookUrl(),
                syncConfig(body, current.syncConfigId()),
                idField(body, "connector_id", current.connectorId()), eventTypes(body, current.eventTypes()),
                metadata(body, current.metadataJson()), active(body, current.active()),
                rateLimit(body, current.rateLimitPerMinute()), current.triggerCount(), current.lastTriggeredAt(),
                current.createdAt(), current.updatedAt());
        RegisteredWebhook saved = store.update(changed).orElseThrow(() -> ApiError.notFound("webhook"));
        directory.invalidate(saved.webhookUrl());
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.set("webhook", json(saved));
        Requests.respond(exchange, 200, out, mapper);
    }

    public void delete(Exchange exchange) {
        RegisteredWebhook w = existing(exchange);
        if (!store.delete(w.id())) {
            throw ApiError.notFound("webhook");
        }
        directory.invalidate(w.webhookUrl());
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("id", w.id());
        Requests.respond(exchange, 200, out, mapper);
    }

    public void rotateSecret(Exchange exchange) {
        RegisteredWebhook w = existing(exchange);
        String secret = store.rotate(w.id(), RandomSecrets.standardWebhooksSecret(), rotationGrace)
                .orElseThrow(() -> ApiError.notFound("webhook"));
        directory.invalidate(w.webhookUrl());
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("secret", secret);
        out.put("previousSecretValidUntil", Instant.now().plus(rotationGrace).toString());
        Requests.respond(exchange, 200, out, mapper);
    }

    public void deliveries(Exchange exchange) {
        RegisteredWebhook w = existing(exchange);
        int limit = Requests.intParam(exchange, "limit", 50, 1, 200);
        int offset = Requests.intParam(exchange, "offset", 0, 0, Integer.MAX_VALUE);
        Page<DeliveryLog.Entry> page = deliveries.listForService(w.id(), limit, offset);
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("total", page.total());
        out.put("count", page.items().size());
        ArrayNode items = out.putArray("deliveries");
        for (DeliveryLog.Entry e : page.items()) {
            ObjectNode o = ServicesApi.deliveryJson(mapper, e);
            o.put("webhook_id", w.id());
            o.set("payload", payload(e.id()));
            items.add(o);
        }
        Requests.respond(exchange, 200, out, mapper);
    }

    public void replayWebhookDelivery(Exchange exchange) {
        RegisteredWebhook w = existing(exchange);
        answerReplay(exchange, replay.replay(w.id(), Requests.pathParam(exchange, "deliveryId")));
    }

    public void replayServiceDelivery(Exchange exchange) {
        String serviceId = Requests.pathParam(exchange, "serviceId");
        services.find(serviceId).orElseThrow(() -> ApiError.notFound("service"));
        answerReplay(exchange, replay.replay(serviceId, Requests.pathParam(exchange, "deliveryId")));
    }

    private void answerReplay(Exchange exchange, DeliveryReplay.Replayed r) {
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("status", "accepted");
        out.put("deliveryId", r.id());
        out.put("replayOf", r.replayOf());
        Requests.respond(exchange, 202, out, mapper);
    }

    private JsonNode payload(String deliveryId) {
        return payloads.json(deliveryId)
                .map(bytes -> Requests.storedJson(mapper, new String(bytes, StandardCharsets.UTF_8)))
                .orElse(null);
    }

    private RegisteredWebhook existing(Exchange exchange) {
        return store.find(Requests.pathParam(exchange, "webhookId")).orElseThrow(() -> ApiError.notFound("webhook"));
    }

    ObjectNode json(RegisteredWebhook w) {
        ObjectNode o = mapper.createObjectNode();
        o.put("id", w.id());
        o.put("name", w.name());
        o.put("webhook_url", w.webhookUrl());
        o.put("full_url", publicUrl + "/api/webhooks/receive/" + w.webhookUrl());
        o.put("sync_config_id", w.syncConfigId());
        o.put("connector_id", w.connectorId());
        ArrayNode types = o.putArray("event_types");
        w.eventTypes().forEach(types::add);
        o.set("metadata", Requests.storedJson(mapper, w.metadataJson()));
        o.put("is_active", w.active());
        o.put("rate_limit_per_minute", w.rateLimitPerMinute());
        o.put("trigger_count", w.triggerCount());
        o.put("last_triggered_at", w.lastTriggeredAt() == null ? null : w.lastTriggeredAt().toString());
        o.put("created_at", w.createdAt().toString());
        o.put("updated_at", w.updatedAt().toString());
        return o;
    }

    private static String requiredName(ObjectNode body) {
        JsonNode n = body.get("name");
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw ApiError.badRequest("invalid_field", "name is required and must be a non-empty string");
        }
        if (n.asText().length() > 200) {
            throw ApiError.badRequest("invalid_field", "name must be at most 200 characters");
        }
        return n.asText().trim();
    }

    /** The sync config a webhook triggers: an id as {@link #idField} reads it, of a config that exists. */
    private String syncConfig(ObjectNode body, String current) {
        String id = idField(body, "sync_config_id", current);
        if (id != null && !id.equals(current) && !sync.exists(id)) {
            throw ApiError.badRequest("invalid_field", "sync_config_id: no sync config with id '" + id + "'");
        }
        return id;
    }

    /** Ids of other records, as the document sends them: a number or a string. */
    private static String idField(ObjectNode body, String field, String current) {
        if (!body.has(field)) {
            return current;
        }
        JsonNode n = body.get(field);
        if (n.isNull()) {
            return null;
        }
        if ((n.isTextual() && !n.asText().isBlank() && n.asText().length() <= 100) || n.isIntegralNumber()) {
            return n.asText().trim();
        }
        throw ApiError.badRequest("invalid_field", field + " must be an id (a number or a string of at most 100 "
                + "characters)");
    }

    private static List<String> eventTypes(ObjectNode body, List<String> current) {
        if (!body.has("event_types")) {
            return current;
        }
        JsonNode n = body.get("event_types");
        if (n.isNull()) {
            return List.of();
        }
        if (!n.isArray() || n.size() > MAX_EVENT_TYPES) {
            throw ApiError.badRequest("invalid_field", "event_types must be a list of at most " + MAX_EVENT_TYPES
                    + " event type names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode t : n) {
            if (!t.isTextual() || t.asText().isBlank() || t.asText().length() > 255) {
                throw ApiError.badRequest("invalid_field", "event_types must hold non-empty strings of at most 255 "
                        + "characters");
            }
            out.add(t.asText().trim());
        }
        return out;
    }

    private static String metadata(ObjectNode body, String current) {
        if (!body.has("metadata")) {
            return current;
        }
        JsonNode n = body.get("metadata");
        if (n.isNull()) {
            return null;
        }
        if (!n.isObject() || n.toString().length() > 65_536) {
            throw ApiError.badRequest("invalid_field", "metadata must be a JSON object of at most 64 KB");
        }
        return n.toString();
    }

    private static boolean active(ObjectNode body, boolean current) {
        if (!body.has("is_active")) {
            return current;
        }
        JsonNode n = body.get("is_active");
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isInt() && (n.asInt() == 0 || n.asInt() == 1)) {
            return n.asInt() == 1;
        }
        throw ApiError.badRequest("invalid_field", "is_active must be true or false");
    }

    private static Integer rateLimit(ObjectNode body, Integer current) {
        return body.has("rate_limit_per_minute") ? Requests.rateLimitPerMinute(body) : current;
    }
}
