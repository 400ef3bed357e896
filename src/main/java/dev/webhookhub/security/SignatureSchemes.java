package dev.webhookhub.security;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one registry of the signature schemes the hub knows, inbound and outbound: every receiver's verify step and the
 * outbound signer look their scheme up here (bound as the {@code signatureSchemes} bean, so a new sender's route can
 * name one). Stateless schemes are constants; Standard Webhooks needs the receiver's clock tolerance.
 */
public final class SignatureSchemes {

    /** GitHub (and the outbound {@code github} scheme): {@code X-Hub-Signature-256: sha256=<hex>}. */
    public static final HexHmacScheme GITHUB = new HexHmacScheme("github", "X-Hub-Signature-256", "sha256=");
    /** Bitbucket Cloud and Server: {@code X-Hub-Signature: sha256=<hex>}. */
    public static final HexHmacScheme BITBUCKET = new HexHmacScheme("bitbucket", "X-Hub-Signature", "sha256=");
    /** Generic senders: {@code X-Webhook-Signature: sha256=<hex>}. */
    public static final HexHmacScheme WEBHOOK_SIGNATURE = new HexHmacScheme("webhook-signature",
            "X-Webhook-Signature", "sha256=");
    /** FoundriesFactory JobServ (and the outbound {@code jobserv} scheme): {@code X-JobServ-Sig: sha256:<hex>}. */
    public static final HexHmacScheme JOBSERV = new HexHmacScheme("jobserv", "X-JobServ-Sig", "sha256:");
    /** GitLab's secret token. */
    public static final SharedSecretScheme GITLAB_TOKEN = SharedSecretScheme.header("gitlab-token", "X-Gitlab-Token",
            "X-Gitlab-Token (or webhook-signature) header is required");
    /** The secret as the password of HTTP basic authentication (Azure DevOps service hooks). */
    public static final SharedSecretScheme BASIC_AUTH = SharedSecretScheme.basicAuth("basic-auth",
            "Authorization: Basic <user:secret> is required (set basic authentication on the service hook)");
    /** Jenkins (which signs nothing): {@code ?token=} or the basic-authentication password. */
    public static final SharedSecretScheme JENKINS_TOKEN = SharedSecretScheme.queryTokenOrBasicAuth("jenkins-token",
            "a valid token is required: ?token=<JENKINS_WEBHOOK_TOKEN> or HTTP basic authentication with it as "
                    + "the password");

    /** The schemes the outbound engine signs with (an endpoint's {@code signature_scheme}). */
    public static final List<String> SIGNING = List.of(JOBSERV.name(), GITHUB.name(), StandardWebhooksScheme.NAME);

    private static final SignatureSchemes SIGNER = new SignatureSchemes(
            new StandardWebhooksSignature(Clock.systemUTC(), Duration.ofMinutes(5)));

    private final Map<String, SignatureScheme> byName = new LinkedHashMap<>();
    private final StandardWebhooksScheme standardWebhooks;

    /** {@code standardWebhooks}: the receivers' clock and timestamp tolerance. */
    public SignatureSchemes(StandardWebhooksSignature standardWebhooks) {
        this.standardWebhooks = new StandardWebhooksScheme(standardWebhooks);
        for (SignatureScheme s : new SignatureScheme[] { GITHUB, BITBUCKET, WEBHOOK_SIGNATURE, JOBSERV,
            this.standardWebhooks, GITLAB_TOKEN, BASIC_AUTH, JENKINS_TOKEN }) {
            byName.put(s.name(), s);
        }
    }

    public StandardWebhooksScheme standardWebhooks() {
        return standardWebhooks;
    }

    public Optional<SignatureScheme> byName(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /** A scheme the outbound engine signs with; IllegalArgumentException for any other name. */
    public static SignatureScheme signer(String name) {
        String n = name == null ? "" : name.toLowerCase(java.util.Locale.ROOT);
        if (!SIGNING.contains(n)) {
            throw new IllegalArgumentException("unknown signature scheme: " + name);
        }
        return SIGNER.byName.get(n);
    }
}
