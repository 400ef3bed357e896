package dev.webhookhub.sync;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A config's mapping: each target field is a JSONata expression over the source item (the language of
 * camel-jsonata). No mapping, or an empty one, passes the item through unchanged.
 */
final class SyncMapping {

    private final Map<String, Jsonata> fields;
    private final ObjectMapper mapper;

    private SyncMapping(Map<String, Jsonata> fields, ObjectMapper mapper) {
        this.fields = fields;
        this.mapper = mapper;
    }

    /** Compiles every expression; a 400 names the field whose expression does not compile. */
    static SyncMapping compile(JsonNode mapping, ObjectMapper mapper) {
        Map<String, Jsonata> out = new LinkedHashMap<>();
        if (mapping == null || mapping.isNull()) {
            return new SyncMapping(out, mapper);
        }
        if (!mapping.isObject()) {
            throw ApiError.badRequest("invalid_field",
                    "mapping must be an object of target field names to JSONata expressions");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = mapping.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual() || f.getValue().asText().isBlank() || f.getKey().isBlank()) {
                throw ApiError.badRequest("invalid_field", "mapping." + f.getKey()
                        + " must be a JSONata expression (text)");
            }
            try {
                out.put(f.getKey(), Jsonata.jsonata(f.getValue().asText()));
            } catch (RuntimeException e) {
                throw ApiError.badRequest("invalid_field", "mapping." + f.getKey() + " is not a valid JSONata "
                        + "expression: " + e.getMessage());
            }
        }
        return new SyncMapping(out, mapper);
    }

    /** The mapped item (an object); an expression that fails throws with the field's name. */
    ObjectNode apply(JsonNode item) {
        if (fields.isEmpty()) {
            if (!item.isObject()) {
                throw new IllegalArgumentException("the item is not a JSON object");
            }
            return (ObjectNode) item;
        }
        Object input = mapper.convertValue(item, Object.class);
        ObjectNode out = mapper.createObjectNode();
        for (Map.Entry<String, Jsonata> f : fields.entrySet()) {
            Object v;
            try {
                v = f.getValue().evaluate(input);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("mapping." + f.getKey() + ": " + e.getMessage(), e);
            }
            out.set(f.getKey(), mapper.valueToTree(v));
        }
        return out;
    }
}
