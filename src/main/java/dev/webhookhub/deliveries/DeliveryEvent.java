package dev.webhookhub.deliveries;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a receiver queues for an accepted delivery: a CloudEvents-style event ({@code id} is the delivery's id). It
 * travels as this object on the in-memory queues; {@link #toJson()} is its one serialised form, stored with the
 * delivery row (recovery and replay read it back with {@link #fromJson(String)}) and fit for a message broker.
 *
 * <p>{@code payload} is the sender's body, parsed once by the receiver, for the consumers that need more than
 * {@code data} (CI runs); it is not part of the JSON form (the raw body is stored once, in
 * webhook_delivery_payloads), so an event read back from the store has none and its consumer reads the stored body.
 */
public record DeliveryEvent(String id, String source, String type, String subject, Instant time,
        Map<String, Object> data, JsonNode payload) {

    public static final String SPEC_VERSION = "1.0";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public DeliveryEvent {
        // LinkedHashMap, not Map.copyOf: fields may be null (a push without a tag)
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data == null ? Map.of() : data));
    }

    /** A field of {@code data} as text, or null. */
    public String text(String field) {
        Object v = data.get(field);
        return v == null ? null : v.toString();
    }

    /** A list field of {@code data} as texts (empty when absent). */
    public List<String> texts(String field) {
        List<String> out = new ArrayList<>();
        if (data.get(field) instanceof List<?> list) {
            list.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }

    /** The same event under a new delivery id, for a replay of delivery {@code originalId}. */
    public DeliveryEvent replayed(String newId, String originalId, Instant at) {
        Map<String, Object> d = new LinkedHashMap<>(data);
        d.put("replayOf", originalId);
        return new DeliveryEvent(newId, source, type, subject, at, d, null);
    }

    /**
     * The stored JSON form: {@code specversion, id, source, type, subject, time, datacontenttype, data} (the payload
     * stays out: the raw body is stored once, apart).
     */
    public String toJson() {
        return toJson(false);
    }

    /** With {@code withPayload}, the parsed body too (field {@code payload}), for a broker between hub instances. */
    public String toJson(boolean withPayload) {
        // written in one pass (a tree of data first, then its text, cost a tenth of the receive path)
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("specversion", SPEC_VERSION);
        root.put("id", id);
        root.put("source", source);
        root.put("type", type);
        root.put("subject", subject);
        root.put("time", time == null ? null : time.toString());
        root.put("datacontenttype", "application/json");
        root.put("data", data);
        if (withPayload && payload != null) {
            root.put("payload", payload);
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + id + " cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** Reads either JSON form back (payload only if it was written); an IllegalArgumentException if not one. */
    public static DeliveryEvent fromJson(String json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || !root.isObject() || !root.path("id").isTextual()) {
                throw new IllegalArgumentException("not a delivery event");
            }
            Map<String, Object> data = new LinkedHashMap<>();
            root.path("data").fields().forEachRemaining(f -> data.put(f.getKey(),
                    MAPPER.convertValue(f.getValue(), Object.class)));
            String time = text(root, "time");
            return new DeliveryEvent(root.get("id").asText(), text(root, "source"), text(root, "type"),
                    text(root, "subject"), time == null ? null : Instant.parse(time), data,
                    root.hasNonNull("payload") ? root.get("payload") : null);
        } catch (JsonProcessingException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a delivery event: " + e.getMessage(), e);
        }
    }

    /** A queued body as an event: the event itself, or its JSON form (recovered from the store). */
    public static DeliveryEvent of(Object body) {
        if (body instanceof DeliveryEvent e) {
            return e;
        }
        if (body instanceof String s) {
            return fromJson(s);
        }
        if (body instanceof byte[] b) {
            return fromJson(new String(b, java.nio.charset.StandardCharsets.UTF_8));
        }
        throw new IllegalArgumentException("not a delivery event: " + (body == null ? "null" : body.getClass()));
    }

    /**
     * Lets routes convert a stored event ({@code convertBodyTo: dev.webhookhub.deliveries.DeliveryEvent}) and an
     * event back to its stored JSON form (the Kafka outbox takes that).
     */
    public static void registerConverter(org.apache.camel.CamelContext context) {
        context.getTypeConverterRegistry().addTypeConverter(String.class, DeliveryEvent.class,
                new org.apache.camel.support.TypeConverterSupport() {
                    @Override
                    public <T> T convertTo(Class<T> type, org.apache.camel.Exchange exchange, Object value) {
                        return type.cast(((DeliveryEvent) value).toJson());
                    }
                });
        context.getTypeConverterRegistry().addTypeConverter(DeliveryEvent.class, String.class,
                new org.apache.camel.support.TypeConverterSupport() {
                    @Override
                    public <T> T convertTo(Class<T> type, org.apache.camel.Exchange exchange, Object value) {
                        return type.cast(of(value));
                    }
                });
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
