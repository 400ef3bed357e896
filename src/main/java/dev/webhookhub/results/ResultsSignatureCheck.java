package dev.webhookhub.results;

import dev.webhookhub.inbound.WebhookRejection;
import dev.webhookhub.security.Hmac;
import dev.webhookhub.security.StandardWebhooksSignature;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Verifies a request to the built-in results receiver the way a third-party receiver would, in the scheme the
 * outbound engine signs with: {@code standard-webhooks} (webhook-id, webhook-timestamp, webhook-signature),
 * {@code jobserv} ({@code X-JobServ-Sig: sha256:<hex>}) or {@code github} ({@code X-Hub-Signature-256: sha256=<hex>}).
 * For the two hex schemes a signature by the sender's previous secret (during its rotation grace period, in
 * {@code X-Webhook-Hub-Previous-Signature}) is accepted too. Without a secret nothing is verified.
 */
final class ResultsSignatureCheck {

    static final List<String> SCHEMES = List.of("standard-webhooks", "jobserv", "github");
    private static final String PREVIOUS_HEADER = "X-Webhook-Hub-Previous-Signature";

    private final String scheme;
    private final String secret;
    private final StandardWebhooksSignature standardWebhooks;

    ResultsSignatureCheck(String scheme, String secret, StandardWebhooksSignature standardWebhooks) {
        this.scheme = scheme.toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(this.scheme)) {
            throw new IllegalArgumentException("HUB_RESULTS_RECEIVER_SCHEME must be one of " + SCHEMES);
        }
        this.secret = secret == null || secret.isBlank() ? null : secret;
        if (this.secret != null && this.scheme.equals("standard-webhooks")) {
            try {
                StandardWebhooksSignature.key(this.secret);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("HUB_RESULTS_RECEIVER_SECRET must be whsec_<base64> for the "
                        + "standard-webhooks scheme");
            }
        }
        this.standardWebhooks = standardWebhooks;
    }

    boolean enabled() {
        return secret != null;
    }

    String scheme() {
        return scheme;
    }

    /** True when verified; false when no secret is configured; a 401 {@link WebhookRejection} otherwise. */
    boolean verify(Function<String, String> headers, byte[] body) {
        if (secret == null) {
            return false;
        }
        switch (scheme) {
            case "jobserv" -> verifyHex(headers, "X-JobServ-Sig", "sha256:", body);
            case "github" -> verifyHex(headers, "X-Hub-Signature-256", "sha256=", body);
            default -> verifyStandardWebhooks(headers, body);
        }
        return true;
    }

    private void verifyStandardWebhooks(Function<String, String> headers, byte[] body) {
        String id = headers.apply("webhook-id");
        String timestamp = headers.apply("webhook-timestamp");
        String signature = headers.apply("webhook-signature");
        if (id == null || timestamp == null || signature == null) {
            throw WebhookRejection.unauthorized("missing_signature",
                    "webhook-id, webhook-timestamp and webhook-signature headers are required");
        }
        switch (standardWebhooks.verify(StandardWebhooksSignature.key(secret), id, timestamp, signature, body)) {
            case VALID -> { }
            case TIMESTAMP_OUT_OF_TOLERANCE -> throw WebhookRejection.unauthorized("timestamp_out_of_tolerance",
                    "webhook-timestamp is too far from the receiver's clock");
            case MALFORMED -> throw WebhookRejection.unauthorized("invalid_signature",
                    "webhook-timestamp must be Unix seconds");
            default -> throw WebhookRejection.unauthorized("invalid_signature", "signature does not match the payload");
        }
    }

    private void verifyHex(Function<String, String> headers, String header, String prefix, byte[] body) {
        String value = headers.apply(header);
        if (value == null || value.isBlank()) {
            throw WebhookRejection.unauthorized("missing_signature", header + " header is required");
        }
        byte[] expected = Hmac.sha256(secret, body);
        boolean valid = matches(value, prefix, expected);
        String previous = headers.apply(PREVIOUS_HEADER);
        // no early exit: both headers are compared when both are there
        valid |= previous != null && matches(previous, prefix, expected);
        if (!valid) {
            throw WebhookRejection.unauthorized("invalid_signature", "signature does not match the payload");
        }
    }

    private static boolean matches(String value, String prefix, byte[] expected) {
        String v = value.trim();
        return v.startsWith(prefix) && Hmac.hexMatches(v.substring(prefix.length()), expected);
    }
}
