package dev.webhookhub.outbound;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** One HTTP attempt of a message: status code (null when no answer), answer snippet, error, duration. */
public record OutboundAttempt(String messageId, int attempt, Instant at, Integer statusCode, String responseSnippet,
        String error, long durationMs) {

    /** Adds the attempts to {@code list} as the API and the backup files show them. */
    static void writeAll(List<OutboundAttempt> attempts, ArrayNode list) {
        for (OutboundAttempt a : attempts) {
            ObjectNode n = list.addObject();
            n.put("attempt", a.attempt());
            n.put("at", a.at().toString());
            if (a.statusCode() == null) {
                n.putNull("status_code");
            } else {
                n.put("status_code", a.statusCode());
            }
            n.put("response_snippet", a.responseSnippet());
            n.put("error", a.error());
            n.put("duration_ms", a.durationMs());
        }
    }
}
