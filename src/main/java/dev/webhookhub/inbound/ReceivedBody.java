package dev.webhookhub.inbound;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Locale;
import org.apache.camel.Exchange;

/** A receiver's raw body as bytes, and its one parse into a JSON object. */
public final class ReceivedBody {

    private ReceivedBody() {
    }

    public static byte[] bytes(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        if (body instanceof Buffer b) {
            return b.getBytes();
        }
        byte[] converted = exchange.getIn().getBody(byte[].class);
        return converted == null ? new byte[0] : converted;
    }

    /**
     * Throws a 415 {@link WebhookRejection} unless {@code contentType} is JSON ({@code application/json} or
     * {@code application/*+json}), and a 413 one when the body is larger than {@code maxBodyBytes}.
     */
    public static void requireJson(String contentType, int length, long maxBodyBytes) {
        String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        if (!ct.equals("application/json") && !(ct.startsWith("application/") && ct.endsWith("+json"))) {
            throw new WebhookRejection(415, "unsupported_media_type", "Content-Type must be application/json"
                    + (ct.isEmpty() ? " (none was sent)" : ", got " + ct));
        }
        if (length > maxBodyBytes) {
            throw new WebhookRejection(413, "payload_too_large", "body is larger than " + maxBodyBytes + " bytes");
        }
    }

    /** Throws a 400 {@link WebhookRejection} unless {@code json} is a JSON object. */
    public static JsonNode jsonObject(ObjectMapper mapper, byte[] json) {
        return jsonObject(mapper, json, null);
    }

    /**
     * As {@link #jsonObject(ObjectMapper, byte[])}, with only {@code fields} of the object in the tree (all of it when
     * null); the whole body is still read and must be valid JSON.
     */
    public static JsonNode jsonObject(ObjectMapper mapper, byte[] json, JsonFields fields) {
        try (JsonParser parser = fields == null ? mapper.createParser(json) : new FilteringParserDelegate(
                mapper.createParser(json), fields, TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH, true)) {
            JsonNode node = mapper.readTree(parser);
            if (node == null || !node.isObject()) {
                throw WebhookRejection.badRequest("malformed_json", "the payload must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw WebhookRejection.badRequest("malformed_json", "the payload is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw WebhookRejection.badRequest("malformed_json", "the payload could not be read");
        }
    }
}
