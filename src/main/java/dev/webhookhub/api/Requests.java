package dev.webhookhub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.store.ListCursor;
import org.apache.camel.Exchange;

/** Reads admin request parameters and JSON bodies, turning bad input into 400 answers. */
public final class Requests {

    private Requests() {
    }

    public static ObjectNode jsonObject(Exchange exchange, ObjectMapper mapper) {
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null && !contentType.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            throw new ApiError(415, "unsupported_media_type", "Content-Type must be application/json");
        }
        String body;
        try {
            body = exchange.getIn().getBody(String.class);
        } catch (org.apache.camel.TypeConversionException e) {
            throw new ApiError(415, "unsupported_media_type", "the body cannot be read in the charset of its"
                    + " Content-Type; send UTF-8 JSON");
        }
        if (body == null || body.isBlank()) {
            throw ApiError.badRequest("missing_body", "a JSON object body is required");
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("malformed_json", "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiError.badRequest("malformed_json", "the body must be a JSON object");
        }
        refuseNul(object, "");
        return object;
    }

    /** PostgreSQL cannot store NUL in text, and no field of the hub's API has a use for it. */
    private static void refuseNul(JsonNode node, String path) {
        if (node.isTextual() && node.textValue().indexOf('\0') >= 0) {
            throw ApiError.badRequest("invalid_text", (path.isEmpty() ? "the body" : path)
                    + " contains a NUL character (\\u0000)");
        }
        if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                String name = field.getKey();
                if (name.indexOf('\0') >= 0) {
                    throw ApiError.badRequest("invalid_text", "a field name contains a NUL character (\\u0000)");
                }
                refuseNul(field.getValue(), path.isEmpty() ? name : path + "." + name);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseNul(node.get(i), path + "[" + i + "]");
            }
        }
    }

    public static String pathParam(Exchange exchange, String name) {
        return exchange.getIn().getHeader(name, String.class);
    }

    public static String query(Exchange exchange, String name) {
        Object v = exchange.getIn().getHeader(name);
        return v == null ? null : v.toString();
    }

    public static int intParam(Exchange exchange, String name, int defaultValue, int min, int max) {
        String v = query(exchange, name);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw ApiError.badRequest("invalid_parameter", name + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid_parameter", name + " must be a whole number");
        }
    }

    /** A keyset paging cursor ({@code next_before} of the previous page), or null when the parameter is absent. */
    public static ListCursor cursorParam(Exchange exchange, String name) {
        String v = query(exchange, name);
        if (v == null || v.isBlank()) {
            return null;
        }
        return ListCursor.decode(v).orElseThrow(() -> ApiError.badRequest("invalid_parameter",
                name + " must be the next_before value of a previous page"));
    }

    public static boolean boolParam(Exchange exchange, String name) {
        String v = query(exchange, name);
        if (v == null || v.isBlank()) {
            return false;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw ApiError.badRequest("invalid_parameter", name + " must be true or false");
    }

    /** JSON kept as text in the store, as a JSON value (text that is not JSON comes back as a string). */
    public static JsonNode storedJson(ObjectMapper mapper, String json) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return mapper.getNodeFactory().textNode(json);
        }
    }

    /** rate_limit_per_minute: deliveries per minute the service's receivers take; null or absent: no limit. */
    public static Integer rateLimitPerMinute(ObjectNode body) {
        JsonNode n = body.get("rate_limit_per_minute");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > 1_000_000) {
            throw ApiError.badRequest("invalid_field", "rate_limit_per_minute must be a whole number from 1 to "
                    + "1000000, or null for no limit");
        }
        return n.asInt();
    }

    public static void respond(Exchange exchange, int status, Object body, ObjectMapper mapper) {
        try {
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setBody(mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
