package dev.webhookhub.inbound;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The request headers as stored in the delivery log, with credentials and signatures redacted. */
public final class RequestHeaders {

    static final String REDACTED = "[redacted]";
    private static final Set<String> SECRET_HEADERS = Set.of("x-hub-signature", "x-hub-signature-256",
            "x-gitlab-token", "webhook-signature", "x-webhook-signature", "authorization", "proxy-authorization", "cookie", "x-jobserv-sig",
            "x-webhook-hub-previous-signature");

    private RequestHeaders() {
    }

    /**
     * {@code contentType} is the Content-Type the sender used (the hub relabels form requests). One JSON field per
     * header name (in the casing first seen, ordered by name regardless of case), repeated headers joined with ", ".
     */
    public static String redactedJson(ObjectMapper mapper, MultiMap headers, String contentType) {
        // keyed case-insensitively; the key kept is the casing first seen
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> header : headers) {
            byName.merge(header.getKey(), header.getValue(), (a, b) -> a + ", " + b);
        }
        StringWriter json = new StringWriter(64 + 48 * byName.size());
        try (JsonGenerator out = mapper.getFactory().createGenerator(json)) {
            out.writeStartObject();
            for (Map.Entry<String, String> header : byName.entrySet()) {
                String lower = header.getKey().toLowerCase(Locale.ROOT);
                out.writeStringField(header.getKey(), SECRET_HEADERS.contains(lower) ? REDACTED
                        : lower.equals("content-type") && contentType != null ? contentType : header.getValue());
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write request headers", e); // a StringWriter does not fail
        }
        return json.toString();
    }
}
