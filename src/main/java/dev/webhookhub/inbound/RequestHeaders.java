package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/** The request headers as stored in the delivery log, with credentials and signatures redacted. */
public final class RequestHeaders {

    static final String REDACTED = "[redacted]";
    private static final Set<String> SECRET_HEADERS = Set.of("x-hub-signature", "x-hub-signature-256",
            "x-gitlab-token", "webhook-signature", "x-webhook-signature", "authorization", "proxy-authorization", "cookie", "x-jobserv-sig",
            "x-webhook-hub-previous-signature");

    private RequestHeaders() {
    }

    /** {@code contentType} is the Content-Type the sender used (the hub relabels form requests). */
    public static String redactedJson(ObjectMapper mapper, MultiMap headers, String contentType) {
        ObjectNode out = mapper.createObjectNode();
        for (String name : headers.names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            String value = SECRET_HEADERS.contains(lower) ? REDACTED
                    : lower.equals("content-type") && contentType != null ? contentType
                    : String.join(", ", headers.getAll(name));
            out.put(name, value);
        }
        return out.toString();
    }
}
