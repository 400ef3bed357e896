package dev.webhookhub.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvents Kafka protocol binding, binary content mode: the record's value is the event's {@code data}
 * (JSON), its attributes are headers {@code ce_<attribute>} (UTF-8), and {@code content-type} carries the data's
 * media type. The hub's delivery envelopes ({@code {specversion, id, source, type, subject, time, data}}) are
 * written this way and read back into the same envelope on the consuming side.
 */
public final class CloudEventsBinding {

    public static final String PREFIX = "ce_";
    public static final String CONTENT_TYPE = "content-type";
    /** Envelope attributes carried as headers, in this order; anything else but data becomes a ce_ header too. */
    static final List<String> ATTRIBUTES = List.of("specversion", "id", "source", "type", "subject", "time");

    private CloudEventsBinding() {
    }

    /** A record for {@code topic} keyed by {@code key} from a structured envelope. */
    public static ProducerRecord<String, String> record(ObjectMapper mapper, String topic, String key,
            String envelope) {
        JsonNode root = parse(mapper, envelope);
        ProducerRecord<String, String> r = new ProducerRecord<>(topic, null, key,
                root.has("data") ? root.get("data").toString() : null);
        Headers h = r.headers();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("data") || f.getValue().isNull()) {
                continue;
            }
            if (f.getKey().equals("datacontenttype")) {
                h.add(CONTENT_TYPE, bytes(f.getValue().asText()));
            } else {
                h.add(PREFIX + f.getKey(), bytes(f.getValue().asText()));
            }
        }
        if (h.lastHeader(CONTENT_TYPE) == null) {
            h.add(CONTENT_TYPE, bytes("application/json"));
        }
        return r;
    }

    /**
     * The structured envelope of a binary-mode record: {@code headers} are the record's headers (values as byte[]
     * or text), {@code value} its data.
     */
    public static String envelope(ObjectMapper mapper, Map<String, Object> headers, String value) {
        ObjectNode root = mapper.createObjectNode();
        for (String a : ATTRIBUTES) {
            String v = text(headers.get(PREFIX + a));
            if (v != null) {
                root.put(a, v);
            }
        }
        headers.forEach((name, v) -> {
            if (name.startsWith(PREFIX) && !ATTRIBUTES.contains(name.substring(PREFIX.length()))) {
                root.put(name.substring(PREFIX.length()), text(v));
            }
        });
        String contentType = text(headers.get(CONTENT_TYPE));
        if (contentType != null) {
            root.put("datacontenttype", contentType);
        }
        if (value != null) {
            root.set("data", parse(mapper, value));
        }
        return root.toString();
    }

    /** The text of a header value as Kafka (byte[]) or Camel (String) hands it over. */
    public static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (v instanceof Header h) {
            return new String(h.value(), StandardCharsets.UTF_8);
        }
        return v.toString();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode parse(ObjectMapper mapper, String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON envelope", e);
        }
    }
}
