package dev.webhookhub.outbound;

import dev.webhookhub.security.RandomSecrets;
import dev.webhookhub.security.SignatureSchemes;
import dev.webhookhub.security.StandardWebhooksScheme;
import dev.webhookhub.security.StandardWebhooksSignature;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Standard Webhooks v1: {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} holding one
 * {@code v1,<base64>} per secret (current first), space-separated, as the spec allows during rotation; signed by the
 * registry's {@link StandardWebhooksScheme}.
 */
public final class StandardWebhooksSigner implements OutboundSigner {

    public static final String SCHEME = StandardWebhooksScheme.NAME;

    @Override
    public Map<String, String> sign(String messageId, Instant timestamp, byte[] body, List<String> secrets) {
        return SignatureSchemes.signer(SCHEME).sign(messageId, timestamp, body, secrets);
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
