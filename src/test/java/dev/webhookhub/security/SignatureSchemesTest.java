package dev.webhookhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The one registry: what the outbound engine signs, every receiver verifies; wrong, missing and rotated secrets. */
class SignatureSchemesTest {

    private static final byte[] BODY = "{\"build\":42}".getBytes(StandardCharsets.UTF_8);
    private static final SignatureSchemes SCHEMES = new SignatureSchemes(
            new StandardWebhooksSignature(Clock.systemUTC(), Duration.ofMinutes(5)));

    private static SignedRequest request(Map<String, String> headers, byte[] body) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        return new SignedRequest(body, h::get);
    }

    private static String secretFor(String scheme) {
        return scheme.equals(StandardWebhooksScheme.NAME) ? "whsec_" + Base64.getEncoder().encodeToString(
                "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)) : "s3cret-" + scheme;
    }

    @Test
    void whatTheHubSignsItsReceiversVerifyAndNothingElse() {
        for (String name : SignatureSchemes.SIGNING) {
            SignatureScheme scheme = SCHEMES.byName(name).orElseThrow();
            String secret = secretFor(name);
            Map<String, String> signed = SignatureSchemes.signer(name).sign("msg_1", Instant.now(), BODY,
                    List.of(secret));
            assertThat(scheme.presentIn(request(signed, BODY))).as(name).isTrue();
            assertThat(scheme.verify(request(signed, BODY), List.of(secret)).valid()).as(name).isTrue();
            assertThat(scheme.verify(request(signed, BODY), List.of("other", secret)).valid()).as(name).isTrue();

            byte[] changed = "{\"build\":43}".getBytes(StandardCharsets.UTF_8);
            SignatureScheme.Verdict tampered = scheme.verify(request(signed, changed), List.of(secret));
            assertThat(tampered.valid()).as(name).isFalse();
            assertThat(tampered.code()).as(name).isEqualTo("invalid_signature");
            assertThat(scheme.verify(request(signed, BODY), List.of(secretFor(name).replace('s', 'x'))).valid())
                    .as(name).isFalse();

            SignatureScheme.Verdict missing = scheme.verify(request(Map.of(), BODY), List.of(secret));
            assertThat(missing.valid()).as(name).isFalse();
            assertThat(missing.code()).as(name).isEqualTo("missing_signature");
            assertThat(scheme.presentIn(request(Map.of(), BODY))).as(name).isFalse();
        }
    }

    @Test
    void duringRotationTheReceiverOfEitherSecretAccepts() {
        Map<String, String> signed = SignatureSchemes.signer("github").sign("m", Instant.now(), BODY,
                List.of("new-secret", "old-secret"));
        assertThat(signed).containsKey(HexHmacScheme.PREVIOUS_HEADER);
        assertThat(SignatureSchemes.GITHUB.verify(request(signed, BODY), List.of("old-secret")).valid()).isTrue();
        assertThat(SignatureSchemes.GITHUB.verify(request(signed, BODY), List.of("new-secret")).valid()).isTrue();
        assertThat(SignatureSchemes.GITHUB.verify(request(signed, BODY), List.of("neither")).valid()).isFalse();
    }

    @Test
    void aHexSignatureWithTheWrongPrefixIsRefusedByName() {
        String hex = Hmac.sha256Hex("k", BODY);
        SignatureScheme.Verdict v = SignatureSchemes.JOBSERV.verify(request(Map.of("X-JobServ-Sig", "sha256=" + hex),
                BODY), List.of("k"));
        assertThat(v.valid()).isFalse();
        assertThat(v.message()).contains("sha256:");
        assertThat(SignatureSchemes.JOBSERV.verify(request(Map.of("X-JobServ-Sig", "sha256:" + hex), BODY),
                List.of("k")).valid()).isTrue();
    }

    @Test
    void sharedSecretsAreComparedAsSent() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("any:pw".getBytes(StandardCharsets.UTF_8));
        assertThat(SignatureSchemes.BASIC_AUTH.verify(request(Map.of("Authorization", basic), BODY), List.of("x", "pw"))
                .valid()).isTrue();
        SignatureScheme.Verdict wrong = SignatureSchemes.BASIC_AUTH.verify(request(Map.of("Authorization", basic),
                BODY), List.of("other"));
        assertThat(wrong.code()).isEqualTo("invalid_token");
        assertThat(SignatureSchemes.BASIC_AUTH.verify(request(Map.of(), BODY), List.of("pw")).code())
                .isEqualTo("missing_credentials");
        assertThat(SignatureSchemes.GITLAB_TOKEN.verify(request(Map.of("X-Gitlab-Token", "t"), BODY), List.of("t"))
                .valid()).isTrue();
        assertThat(SignatureSchemes.GITLAB_TOKEN.verify(request(Map.of("X-Gitlab-Token", "t "), BODY), List.of("t"))
                .code()).isEqualTo("invalid_token");

        SignedRequest query = new SignedRequest(BODY, h -> null, q -> q.equals("token") ? "jt" : null);
        assertThat(SignatureSchemes.JENKINS_TOKEN.verify(query, List.of("jt")).valid()).isTrue();
        assertThat(SignatureSchemes.JENKINS_TOKEN.verify(query, List.of("other")).code()).isEqualTo("invalid_token");
        assertThat(SignatureSchemes.JENKINS_TOKEN.verify(new SignedRequest(BODY, h -> null), List.of("jt")).code())
                .isEqualTo("missing_token");
    }

    @Test
    void onlyTheSigningSchemesSign() {
        assertThat(SCHEMES.names()).contains("github", "bitbucket", "webhook-signature", "jobserv",
                "standard-webhooks", "gitlab-token", "basic-auth", "jenkins-token");
        assertThatThrownBy(() -> SignatureSchemes.signer("basic-auth")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignatureSchemes.BASIC_AUTH.sign("m", Instant.now(), BODY, List.of("pw")))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
