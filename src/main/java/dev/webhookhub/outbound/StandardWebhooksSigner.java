package dev.webhookhub.outbound;

import dev.webhookhub.security.RandomSecrets;
import dev.webhookhub.security.StandardWebhooksSignature;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Standard Webhooks v1: {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} holding one
 * {@code v1,<base64>} per secret (current first), space-separated, as the spec allows during rotation.
 */
public final class StandardWebhooksSigner implements OutboundSigner {

    public static final String SCHEME = "standard-webhooks";

    @Override
    public Map<String, String> sign(String messageId, Instant timestamp, byte[] body, List<String> secrets) {
        long ts = timestamp.getEpochSecond();
        StringBuilder sig = new StringBuilder();
        for (String secret : secrets) {
            if (sig.length() > 0) {
                sig.append(' ');
            }
            sig.append(StandardWebhooksSignature.sign(StandardWebhooksSignature.key(secret), messageId, ts, body));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", messageId);
        headers.put("webhook-timestamp", Long.toString(ts));
        headers.put("webhook-signature", sig.toString());
        return headers;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String newSecret() {
        return RandomSecrets.standardWebhooksSecret();
    }

    @Override
    public String checkSecret(String secret) {
        if (!secret.startsWith(StandardWebhooksSignature.PREFIX)) {
            return "a standard-webhooks secret must start with whsec_";
        }
        try {
            int n = StandardWebhooksSignature.key(secret).length;
            return n < 24 || n > 64 ? "a standard-webhooks secret must hold 24 to 64 base64 bytes" : null;
        } catch (IllegalArgumentException e) {
            return "a standard-webhooks secret must be whsec_ followed by base64";
        }
    }
}
