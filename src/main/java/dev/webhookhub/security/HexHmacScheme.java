package dev.webhookhub.security;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HMAC-SHA256 of the raw body, lowercase hex after a prefix, in one header ({@code X-Hub-Signature-256: sha256=<hex>}
 * for GitHub, {@code X-JobServ-Sig: sha256:<hex>} for JobServ...). The header holds one value, so during a rotation
 * grace period the hub signs the header with the current secret and puts the previous secret's signature in
 * {@value #PREVIOUS_HEADER}; a receiver accepts either.
 */
public final class HexHmacScheme implements SignatureScheme {

    public static final String PREVIOUS_HEADER = "X-Webhook-Hub-Previous-Signature";

    private final String name;
    private final String header;
    private final String prefix;
    private final boolean prefixRequired;

    public HexHmacScheme(String name, String header, String prefix) {
        this(name, header, prefix, true);
    }

    private HexHmacScheme(String name, String header, String prefix, boolean prefixRequired) {
        this.name = name;
        this.header = header;
        this.prefix = prefix;
        this.prefixRequired = prefixRequired;
    }

    /**
     * The same scheme taking a header with another prefix as a signature that does not match (the previous secret's
     * header may still match) rather than refusing its form: the results receiver's answer.
     */
    public HexHmacScheme otherPrefixesAsMismatch() {
        return new HexHmacScheme(name, header, prefix, false);
    }

    @Override
    public String name() {
        return name;
    }

    public String header() {
        return header;
    }

    @Override
    public boolean presentIn(SignedRequest request) {
        return request.header(header) != null;
    }

    @Override
    public Verdict verify(SignedRequest request, List<String> secrets) {
        String value = request.header(header);
        if (value == null || value.isBlank()) {
            return Verdict.refused("missing_signature", header + " header is required");
        }
        if (prefixRequired && !value.startsWith(prefix)) {
            return Verdict.refused("invalid_signature", header + " must be " + prefix + "<hex>");
        }
        String previous = request.header(PREVIOUS_HEADER);
        boolean valid = false;
        for (String secret : secrets) {
            // every secret and both headers are compared: no early exit that would tell which one matched
            byte[] expected = Hmac.sha256(secret, request.body());
            valid |= value.startsWith(prefix) && Hmac.hexMatches(value.substring(prefix.length()).trim(), expected);
            valid |= previous != null && previous.trim().startsWith(prefix)
                    && Hmac.hexMatches(previous.trim().substring(prefix.length()), expected);
        }
        return valid ? Verdict.VALID : Verdict.refused("invalid_signature", "signature does not match the payload");
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
}
