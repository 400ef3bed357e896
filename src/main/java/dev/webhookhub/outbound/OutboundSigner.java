package dev.webhookhub.outbound;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Computes the signature headers of one outbound message for one endpoint's scheme. */
public interface OutboundSigner {

    /**
     * @param secrets the signing secrets, current first; a previous secret still in its grace period follows
     */
    Map<String, String> sign(String messageId, Instant timestamp, byte[] body, List<String> secrets);

    /** The scheme's name as stored on the endpoint. */
    String scheme();

    /** A new secret in the scheme's format. */
    String newSecret();

    /** Whether a caller-provided secret can be used with this scheme; null when fine, else why not. */
    default String checkSecret(String secret) {
        return secret.length() < 8 ? "secret must be at least 8 characters" : null;
    }

    static OutboundSigner forScheme(String scheme) {
        return switch (scheme == null ? "" : scheme.toLowerCase(Locale.ROOT)) {
            case JobServSigner.SCHEME -> new JobServSigner();
            case GitHubSigner.SCHEME -> new GitHubSigner();
            case StandardWebhooksSigner.SCHEME -> new StandardWebhooksSigner();
            default -> throw new IllegalArgumentException("unknown signature scheme: " + scheme);
        };
    }

    /** The names of the schemes the registry (SignatureSchemes) signs with. */
    List<String> SCHEMES = dev.webhookhub.security.SignatureSchemes.SIGNING;
}
