package dev.webhookhub.outbound;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One subscription: where to send which events, signed how. Secrets stay encrypted here. */
public record OutboundEndpoint(
        String id,
        String url,
        String description,
        List<String> eventTypes,
        String signatureScheme,
        String secretEnc,
        String previousSecretEnc,
        Instant previousValidUntil,
        Map<String, String> headers,
        int timeoutSeconds,
        boolean enabled,
        Integer rateLimit,
        String disabledReason,
        Instant failingSince,
        Instant createdAt,
        Instant updatedAt) {

    /** Whether the endpoint subscribes to the event: an exact name, {@code prefix.*}, or {@code *}. */
    public boolean subscribes(String eventType) {
        for (String pattern : eventTypes) {
            if (pattern.equals("*") || pattern.equals(eventType)
                    || (pattern.endsWith(".*") && eventType.startsWith(pattern.substring(0, pattern.length() - 1)))) {
                return true;
            }
        }
        return false;
    }
}
