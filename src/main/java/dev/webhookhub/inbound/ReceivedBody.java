package dev.webhookhub.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import org.apache.camel.Exchange;

/** A receiver's raw body as bytes, and its one parse into a JSON object. */
final class ReceivedBody {

    private ReceivedBody() {
    }

    static byte[] bytes(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        if (body instanceof Buffer b) {
            return b.getBytes();
        }
        byte[] converted = exchange.getIn().getBody(byte[].class);
        return converted == null ? new byte[0] : converted;
    }

    /** Throws a 400 {@link WebhookRejection} unless {@code json} is a JSON object. */
    static JsonNode jsonObject(ObjectMapper mapper, byte[] json) {
        try {
            JsonNode node = mapper.readTree(json);
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
