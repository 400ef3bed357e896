package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/** The request headers as stored in the delivery log, with credentials and signatures redacted. */
final class RequestHeaders {

    static final String REDACTED = "[redacted]";
    private static final Set<String> SECRET_HEADERS = Set.of("x-hub-signature", "x-hub-signature-256",
            "x-gitlab-token", "webhook-signature", "authorization", "proxy-authorization", "cookie", "x-jobserv-sig");

    private RequestHeaders() {
    }

    static String redactedJson(ObjectMapper mapper, MultiMap headers) {
        ObjectNode out = mapper.createObjectNode();
        for (String name : headers.names()) {
            String value = SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                    ? REDACTED
                    : String.join(", ", headers.getAll(name));
            out.put(name, value);
        }
        return out.toString();
    }
}
