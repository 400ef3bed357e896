package dev.webhookhub.outbound;

import dev.webhookhub.security.Hmac;
import dev.webhookhub.security.RandomSecrets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HMAC-SHA256 over the body, lowercase hex after a prefix, in one header. The header holds one value, so during a
 * rotation grace period the current secret signs the header and the previous secret's signature goes in
 * {@code X-Webhook-Hub-Previous-Signature} (same format) for receivers that have not switched yet.
 */
abstract class HexSigner implements OutboundSigner {

    static final String PREVIOUS_HEADER = "X-Webhook-Hub-Previous-Signature";

    private final String header;
    private final String prefix;

    HexSigner(String header, String prefix) {
        this.header = header;
        this.prefix = prefix;
    }

    @Override
    public Map<String, String> sign(String messageId, Instant timestamp, byte[] body, List<String> secrets) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(header, prefix + Hmac.sha256Hex(secrets.get(0), body));
        if (secrets.size() > 1) {
            headers.put(PREVIOUS_HEADER, prefix + Hmac.sha256Hex(secrets.get(1), body));
        }
        return headers;
    }

    @Override
    public String newSecret() {
        return RandomSecrets.token(32);
    }
}
