package dev.webhookhub.inbound;

import dev.webhookhub.security.Hmac;
import java.util.List;

/** A {@code sha256=<hex HMAC-SHA256 of the raw body>} header, as GitHub and Bitbucket send it. */
final class HexSignatureHeader {

    private HexSignatureHeader() {
    }

    /** Throws a 401 {@link WebhookRejection} unless {@code headerName} holds a signature made with one of the secrets. */
    static void verify(InboundRequest request, String headerName, List<String> secrets) {
        String header = request.header(headerName);
        if (header == null || header.isBlank()) {
            throw WebhookRejection.unauthorized("missing_signature", headerName + " header is required");
        }
        if (!header.startsWith("sha256=")) {
            throw WebhookRejection.unauthorized("invalid_signature", headerName + " must be sha256=<hex>");
        }
        String hex = header.substring(7).trim();
        boolean valid = false;
        for (String secret : secrets) {
            // every secret is tried: no early exit that would tell which one matched
            valid |= Hmac.hexMatches(hex, Hmac.sha256(secret, request.body()));
        }
        if (!valid) {
            throw WebhookRejection.unauthorized("invalid_signature", "signature does not match the payload");
        }
    }
}
