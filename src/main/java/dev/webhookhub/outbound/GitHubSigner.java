package dev.webhookhub.outbound;

/** GitHub's scheme: {@code X-Hub-Signature-256: sha256=<hex>}. */
public final class GitHubSigner extends HexSigner {

    public static final String SCHEME = "github";
    public static final String HEADER = "X-Hub-Signature-256";

    public GitHubSigner() {
        super(HEADER, "sha256=");
    }

    @Override
    public String scheme() {
        return SCHEME;
    }
}
