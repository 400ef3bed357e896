package dev.webhookhub.results;

import dev.webhookhub.inbound.WebhookRejection;
import dev.webhookhub.security.HexHmacScheme;
import dev.webhookhub.security.SignatureScheme;
import dev.webhookhub.security.SignatureSchemes;
import dev.webhookhub.security.SignedRequest;
import dev.webhookhub.security.StandardWebhooksScheme;
import dev.webhookhub.security.StandardWebhooksSignature;
import java.util.List;
import java.util.Locale;

/**
 * Verifies a request to the built-in results receiver the way a third-party receiver would, in the scheme the
 * outbound engine signs with, taken from the one registry ({@link SignatureSchemes}): {@code standard-webhooks},
 * {@code jobserv} or {@code github}. For the two hex schemes a signature by the sender's previous secret (during its
 * rotation grace period, in {@code X-Webhook-Hub-Previous-Signature}) is accepted too. Without a secret nothing is
 * verified.
 */
final class ResultsSignatureCheck {

    static final List<String> SCHEMES = SignatureSchemes.SIGNING;

    private final SignatureScheme scheme;
    private final String secret;

    ResultsSignatureCheck(String scheme, String secret, SignatureSchemes schemes) {
        String name = scheme.toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(name)) {
            throw new IllegalArgumentException("HUB_RESULTS_RECEIVER_SCHEME must be one of " + SCHEMES);
        }
        this.scheme = inThisReceiversWords(schemes.byName(name).orElseThrow());
        this.secret = secret == null || secret.isBlank() ? null : secret;
        if (this.secret != null && name.equals(StandardWebhooksScheme.NAME)) {
            try {
                StandardWebhooksSignature.key(this.secret);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("HUB_RESULTS_RECEIVER_SECRET must be whsec_<base64> for the "
                        + "standard-webhooks scheme");
            }
        }
    }

    boolean enabled() {
        return secret != null;
    }

    String scheme() {
        return scheme.name();
    }

    /** True when verified; false when no secret is configured; a 401 {@link WebhookRejection} otherwise. */
    boolean verify(SignedRequest request) {
        if (secret == null) {
            return false;
        }
        WebhookRejection.require(scheme.verify(request, List.of(secret)));
        return true;
    }

    /**
     * The results receiver's own answers, unchanged since before the one registry: a stale timestamp is too far from
     * the receiver's clock, and a hex header with another prefix is a signature that does not match.
     */
    private static SignatureScheme inThisReceiversWords(SignatureScheme scheme) {
        if (scheme instanceof HexHmacScheme hex) {
            return hex.otherPrefixesAsMismatch();
        }
        if (scheme instanceof StandardWebhooksScheme standard) {
            return standard.namingTheClockOf("receiver");
        }
        return scheme;
    }
}
