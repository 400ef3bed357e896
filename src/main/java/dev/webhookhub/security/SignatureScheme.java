package dev.webhookhub.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One way a webhook proves it is genuine: how a receiver verifies it and, for the schemes the hub signs with, how the
 * outbound engine signs. Every comparison is constant-time and every secret is tried (no early exit). The schemes
 * live in one registry, {@link SignatureSchemes}.
 */
public interface SignatureScheme {

    /** The scheme's name (as in settings, endpoint rows and the registry). */
    String name();

    /** Whether the request carries this scheme's credential (so a receiver accepting several forms can pick). */
    boolean presentIn(SignedRequest request);

    /** Checks the request against every secret (current first); valid when one matches. */
    Verdict verify(SignedRequest request, List<String> secrets);

    /**
     * The headers that sign {@code body} with {@code secrets} (current first; a previous secret in its rotation grace
     * period follows). Schemes that only authenticate (tokens, basic auth) do not sign.
     */
    default Map<String, String> sign(String messageId, Instant timestamp, byte[] body, List<String> secrets) {
        throw new UnsupportedOperationException(name() + " does not sign requests");
    }

    /** The outcome of a check: valid, or the error code and message a 401 answer carries. */
    record Verdict(boolean valid, String code, String message) {

        public static final Verdict VALID = new Verdict(true, null, null);

        public static Verdict refused(String code, String message) {
            return new Verdict(false, code, message);
        }
    }
}
