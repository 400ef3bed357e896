package dev.webhookhub.outbound;

import java.time.Instant;

/** One HTTP attempt of a message: status code (null when no answer), answer snippet, error, duration. */
public record OutboundAttempt(String messageId, int attempt, Instant at, Integer statusCode, String responseSnippet,
        String error, long durationMs) {
}
