package dev.webhookhub.outbound;

import dev.webhookhub.security.HexHmacScheme;
import dev.webhookhub.security.RandomSecrets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A scheme of HMAC-SHA256 hex in one header; signing is the registry's {@link HexHmacScheme} (which also puts a
 * previous secret's signature in {@code X-Webhook-Hub-Previous-Signature} during a rotation grace period).
 */
abstract class HexSigner implements OutboundSigner {

    private final HexHmacScheme scheme;

    HexSigner(HexHmacScheme scheme) {
        this.scheme = scheme;
    }

    @Override
    public Map<String, String> sign(String messageId, Instant timestamp, byte[] body, List<String> secrets) {
        return scheme.sign(messageId, timestamp, body, secrets);
    }

    @Override
    public String scheme() {
        return scheme.name();
    }

    @Override
    public String newSecret() {
        return RandomSecrets.token(32);
    }
}
