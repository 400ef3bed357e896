package dev.webhookhub.outbound;

/** FoundriesFactory JobServ build webhooks: {@code X-JobServ-Sig: sha256:<hex>} (a colon, not '='). */
public final class JobServSigner extends HexSigner {

    public static final String SCHEME = "jobserv";
    public static final String HEADER = "X-JobServ-Sig";

    public JobServSigner() {
        super(HEADER, "sha256:");
    }

    @Override
    public String scheme() {
        return SCHEME;
    }
}
