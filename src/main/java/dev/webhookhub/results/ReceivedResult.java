package dev.webhookhub.results;

import java.time.Instant;

/** One request the built-in receiver POST /webhook/results took in. */
record ReceivedResult(
        String id,
        Instant receivedAt,
        String messageId,
        String eventType,
        String pipelineId,
        boolean signatureVerified,
        String headersJson,
        String body) {
}
