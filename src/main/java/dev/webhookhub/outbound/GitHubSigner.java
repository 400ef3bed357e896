package dev.webhookhub.outbound;

import dev.webhookhub.security.SignatureSchemes;

/** GitHub's scheme: {@code X-Hub-Signature-256: sha256=<hex>}. */
public final class GitHubSigner extends HexSigner {

    public static final String SCHEME = "github";

    public GitHubSigner() {
        super(SignatureSchemes.GITHUB);
    }
}
