package dev.webhookhub.outbound;

import dev.webhookhub.security.SignatureSchemes;

/** FoundriesFactory JobServ build webhooks: {@code X-JobServ-Sig: sha256:<hex>} (a colon, not '='). */
public final class JobServSigner extends HexSigner {

    public static final String SCHEME = "jobserv";

    public JobServSigner() {
        super(SignatureSchemes.JOBSERV);
    }
}
