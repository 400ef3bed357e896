package dev.webhookhub.inbound;

import static dev.webhookhub.inbound.AdapterFixtures.request;
import static dev.webhookhub.inbound.AdapterFixtures.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GitHubAdapterTest {

    private static final String SECRET = "It's a Secret to Everybody";
    private static final String PREVIOUS_SECRET = "previous-secret-being-rotated-out";

    private final GitHubAdapter adapter = new GitHubAdapter();
    private final ObjectMapper mapper = new ObjectMapper();

    /** GitHub's scheme, computed independently of the production Hmac class. */
    static String signature(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private WebhookRejection rejection(InboundRequest request, List<String> secrets) {
        WebhookRejection r = catchThrowableOfType(WebhookRejection.class, () -> adapter.verify(request, secrets));
        assertThat(r).as("verify must reject").isNotNull();
        return r;
    }

    // --- signatures -------------------------------------------------------------------------------------------

    @Test
    void publishedGithubVectorVerifies() {
        InboundRequest req = request("Hello, World!".getBytes(StandardCharsets.UTF_8), "X-Hub-Signature-256",
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        assertThatCode(() -> adapter.verify(req, List.of(SECRET))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"github/push.json", "github/ping.json", "github/pull_request.opened.json",
            "github/workflow_run.completed.json"})
    void signatureOverTheRealSampleBytesVerifies(String file) throws Exception {
        byte[] body = sample(file);
        InboundRequest req = request(body, "X-Hub-Signature-256", signature(SECRET, body));
        assertThatCode(() -> adapter.verify(req, List.of(SECRET))).doesNotThrowAnyException();
        InboundRequest lowerName = request(body, "x-hub-signature-256", signature(SECRET, body));
        assertThatCode(() -> adapter.verify(lowerName, List.of(SECRET))).doesNotThrowAnyException();
    }

    @Test
    void uppercaseHexDigestIsAccepted() throws Exception {
        byte[] body = sample("github/push.json");
        String upper = "sha256=" + signature(SECRET, body).substring(7).toUpperCase(Locale.ROOT);
        assertThatCode(() -> adapter.verify(request(body, "X-Hub-Signature-256", upper), List.of(SECRET)))
                .doesNotThrowAnyException();
    }

    @Test
    void rotationAcceptsTheNewAndThePreviousSecret() throws Exception {
        byte[] body = sample("github/push.json");
        List<String> secrets = List.of(SECRET, PREVIOUS_SECRET);
        assertThatCode(() -> adapter.verify(request(body, "X-Hub-Signature-256", signature(SECRET, body)), secrets))
                .doesNotThrowAnyException();
        assertThatCode(() -> adapter.verify(request(body, "X-Hub-Signature-256", signature(PREVIOUS_SECRET, body)),
                secrets)).doesNotThrowAnyException();
    }

    @Test
    void secretNotInTheListFails() throws Exception {
        byte[] body = sample("github/push.json");
        WebhookRejection r = rejection(request(body, "X-Hub-Signature-256", signature("some-other-secret", body)),
                List.of(SECRET, PREVIOUS_SECRET));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("invalid_signature");
        assertThat(r.signatureValid()).isFalse();
        // no secret at all never verifies
        assertThat(rejection(request(body, "X-Hub-Signature-256", signature(SECRET, body)), List.of()).code())
                .isEqualTo("invalid_signature");
    }

    @Test
    void changedBodyFails() throws Exception {
        byte[] body = sample("github/push.json");
        String sig = signature(SECRET, body);
        byte[] changed = Arrays.copyOf(body, body.length);
        changed[changed.length - 2] = ' '; // replace a byte near the end
        assertThat(rejection(request(changed, "X-Hub-Signature-256", sig), List.of(SECRET)).code())
                .isEqualTo("invalid_signature");
        byte[] truncated = Arrays.copyOf(body, body.length - 1);
        assertThat(rejection(request(truncated, "X-Hub-Signature-256", sig), List.of(SECRET)).code())
                .isEqualTo("invalid_signature");
    }

    @Test
    void missingSignatureHeader() throws Exception {
        byte[] body = sample("github/push.json");
        WebhookRejection r = rejection(request(body, "X-GitHub-Event", "push"), List.of(SECRET));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("missing_signature");
        assertThat(rejection(request(body, "X-Hub-Signature-256", ""), List.of(SECRET)).code())
                .isEqualTo("missing_signature");
    }

    @Test
    void legacySha1HeaderAloneIsNotEnough() throws Exception {
        byte[] body = sample("github/push.json");
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String sha1 = "sha1=" + HexFormat.of().formatHex(mac.doFinal(body));
        assertThat(rejection(request(body, "X-Hub-Signature", sha1), List.of(SECRET)).code())
                .isEqualTo("missing_signature");
        assertThat(rejection(request(body, "X-Hub-Signature-256", sha1), List.of(SECRET)).code())
                .isEqualTo("invalid_signature");
        // the right sha256 digest without its prefix is not accepted either
        assertThat(rejection(request(body, "X-Hub-Signature-256", signature(SECRET, body).substring(7)),
                List.of(SECRET)).code()).isEqualTo("invalid_signature");
    }

    // --- headers ----------------------------------------------------------------------------------------------

    @Test
    void eventAndDeliveryComeFromGithubHeaders() {
        InboundRequest req = request(new byte[0], "x-github-event", "push", "X-GitHub-Delivery",
                "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        assertThat(adapter.event(req)).isEqualTo("push");
        assertThat(adapter.deliveryId(req)).isEqualTo("72d3162e-cc78-11e3-81ab-4c9367dc0958");
        assertThat(adapter.deliveryId(request(new byte[0]))).isNull();
    }

    @Test
    void pingDetection() {
        assertThat(adapter.isPing("ping")).isTrue();
        assertThat(adapter.isPing("push")).isFalse();
        assertThat(adapter.isPing("diagnostics:ping")).isFalse();
        assertThat(adapter.isPing(null)).isFalse();
    }

    // --- push extraction --------------------------------------------------------------------------------------

    @Test
    void pushSampleIsATagDeletionAndReportedAsTag() throws Exception {
        JsonNode payload = mapper.readTree(sample("github/push.json"));
        PushInfo push = adapter.push("push", payload, "main").orElseThrow();
        assertThat(push.kind()).isEqualTo(PushInfo.Kind.TAG);
        assertThat(push.refName()).isEqualTo("simple-tag");
        assertThat(push.commitMessage()).isNull(); // head_commit is null
        assertThat(push.author()).isEqualTo("Codertocat");
        assertThat(push.repositoryUrl()).isEqualTo("https://github.com/Codertocat/Hello-World");
        assertThat(push.compareUrl())
                .isEqualTo("https://github.com/Codertocat/Hello-World/compare/6113728f27ae...000000000000");
    }

    @Test
    void branchPushUsesTheHeadCommit() throws Exception {
        ObjectNode payload = (ObjectNode) mapper.readTree(sample("github/push.json"));
        payload.put("ref", "refs/heads/main");
        payload.put("deleted", false);
        payload.put("after", "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c");
        ObjectNode head = payload.putObject("head_commit");
        head.put("id", "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c");
        head.put("message", "Update README.md\n\nLonger body");
        head.putObject("author").put("name", "Mona Lisa").put("email", "mona@example.com");

        PushInfo push = adapter.push("push", payload, "main").orElseThrow();
        assertThat(push.kind()).isEqualTo(PushInfo.Kind.BRANCH);
        assertThat(push.refName()).isEqualTo("main");
        assertThat(push.commitSha()).isEqualTo("0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c");
        assertThat(push.commitMessage()).isEqualTo("Update README.md\n\nLonger body");
        assertThat(push.author()).isEqualTo("Mona Lisa");
        assertThat(push.repositoryUrl()).isEqualTo("https://github.com/Codertocat/Hello-World");
    }

    @Test
    void branchPushWithoutHeadCommitFallsBackToAfterAndPusher() throws Exception {
        ObjectNode payload = (ObjectNode) mapper.readTree(sample("github/push.json"));
        payload.put("ref", "refs/heads/release/1.x");
        payload.put("deleted", false);
        payload.put("created", true);
        payload.put("after", "6113728f27ae82c7b1a177c8d03f9e96e0adf246");
        PushInfo push = adapter.push("push", payload, "main").orElseThrow();
        assertThat(push.kind()).isEqualTo(PushInfo.Kind.BRANCH);
        assertThat(push.refName()).isEqualTo("release/1.x");
        assertThat(push.commitSha()).isEqualTo("6113728f27ae82c7b1a177c8d03f9e96e0adf246");
        assertThat(push.author()).isEqualTo("Codertocat");
    }

    @Test
    void branchDeletionIsRecognised() throws Exception {
        ObjectNode payload = (ObjectNode) mapper.readTree(sample("github/push.json"));
        payload.put("ref", "refs/heads/main"); // the sample already has deleted=true and a zero "after"
        PushInfo push = adapter.push("push", payload, "main").orElseThrow();
        assertThat(push.kind()).isEqualTo(PushInfo.Kind.BRANCH_DELETED);
        assertThat(push.refName()).isEqualTo("main");
    }

    @Test
    void nonPushEventsHaveNoPushInfo() throws Exception {
        assertThat(adapter.push("pull_request", mapper.readTree(sample("github/pull_request.opened.json")), "main"))
                .isEmpty();
        assertThat(adapter.push("workflow_run", mapper.readTree(sample("github/workflow_run.completed.json")),
                "main")).isEmpty();
        assertThat(adapter.push("ping", mapper.readTree(sample("github/ping.json")), "main")).isEmpty();
        // the event header decides, not the body
        assertThat(adapter.push("release", mapper.readTree(sample("github/push.json")), "main")).isEmpty();
    }
}
