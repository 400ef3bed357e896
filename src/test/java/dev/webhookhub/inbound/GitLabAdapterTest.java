package dev.webhookhub.inbound;

import static dev.webhookhub.inbound.AdapterFixtures.request;
import static dev.webhookhub.inbound.AdapterFixtures.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.security.StandardWebhooksSignature;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class GitLabAdapterTest {

    private static final Instant NOW = Instant.now();
    private static final String MSG_ID = "a6b5b0d4-7b4c-4e38-8f1c-2c2f3d3c9e11";

    private final GitLabAdapter adapter = new GitLabAdapter(
            new StandardWebhooksSignature(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5)));
    private final ObjectMapper mapper = new ObjectMapper();

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static String whsec(byte[] key) {
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /** Standard Webhooks v1, written out here independently of the production code. */
    private static String signV1(byte[] key, String msgId, long timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((msgId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private static InboundRequest signed(byte[] body, String msgId, long timestamp, String signature) {
        return request(body, "X-Gitlab-Event", "Push Hook", "Idempotency-Key", msgId, "webhook-id", msgId,
                "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signature);
    }

    private WebhookRejection rejection(InboundRequest request, List<String> secrets) {
        WebhookRejection r = catchThrowableOfType(WebhookRejection.class, () -> adapter.verify(request, secrets));
        assertThat(r).as("verify must reject").isNotNull();
        return r;
    }

    // --- X-Gitlab-Token ---------------------------------------------------------------------------------------

    @Test
    void matchingTokenIsAccepted() {
        String secret = whsec(randomBytes(32));
        InboundRequest req = request(sample("gitlab/push_hook.json"), "X-Gitlab-Event", "Push Hook",
                "X-Gitlab-Token", secret);
        assertThatCode(() -> adapter.verify(req, List.of(secret))).doesNotThrowAnyException();
        assertThatCode(() -> adapter.verify(req, List.of("old-token", secret))).doesNotThrowAnyException();
        InboundRequest lower = request(sample("gitlab/push_hook.json"), "x-gitlab-token", secret);
        assertThatCode(() -> adapter.verify(lower, List.of(secret))).doesNotThrowAnyException();
    }

    @Test
    void differentTokenIsInvalidToken() {
        String secret = whsec(randomBytes(32));
        for (String sent : List.of(secret + "x", secret.substring(1), "whsec_", secret.toUpperCase(), " " + secret)) {
            WebhookRejection r = rejection(request(sample("gitlab/push_hook.json"), "X-Gitlab-Token", sent),
                    List.of(secret));
            assertThat(r.status()).as(sent).isEqualTo(401);
            assertThat(r.code()).as(sent).isEqualTo("invalid_token");
        }
        assertThat(rejection(request(sample("gitlab/push_hook.json"), "X-Gitlab-Token", secret), List.of()).code())
                .isEqualTo("invalid_token");
    }

    @Test
    void missingTokenIsMissingSignature() {
        WebhookRejection r = rejection(request(sample("gitlab/push_hook.json"), "X-Gitlab-Event", "Push Hook"),
                List.of("secret"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("missing_signature");
        assertThat(rejection(request(sample("gitlab/push_hook.json"), "X-Gitlab-Token", ""), List.of("secret"))
                .code()).isEqualTo("missing_signature");
    }

    // --- Standard Webhooks signing ----------------------------------------------------------------------------

    @Test
    void standardWebhooksSignatureOverTheRealBodyVerifies() throws Exception {
        byte[] key = randomBytes(32);
        byte[] body = sample("gitlab/push_hook.json");
        long ts = NOW.getEpochSecond();
        InboundRequest req = signed(body, MSG_ID, ts, signV1(key, MSG_ID, ts, body));
        assertThatCode(() -> adapter.verify(req, List.of(whsec(key)))).doesNotThrowAnyException();
    }

    @Test
    void signedDeliveryWorksWithRealSystemClock() throws Exception {
        GitLabAdapter realClock = new GitLabAdapter(new StandardWebhooksSignature(Clock.systemUTC(),
                Duration.ofMinutes(5)));
        byte[] key = randomBytes(32);
        byte[] body = sample("gitlab/push_hook.json");
        long ts = Instant.now().getEpochSecond();
        InboundRequest req = signed(body, MSG_ID, ts, signV1(key, MSG_ID, ts, body));
        assertThatCode(() -> realClock.verify(req, List.of(whsec(key)))).doesNotThrowAnyException();
    }

    @Test
    void signingKeyRotationAcceptsEitherSecret() throws Exception {
        byte[] previous = randomBytes(32);
        byte[] current = randomBytes(32);
        byte[] body = sample("gitlab/push_hook.json");
        long ts = NOW.getEpochSecond();
        List<String> secrets = List.of(whsec(current), whsec(previous));
        assertThatCode(() -> adapter.verify(signed(body, MSG_ID, ts, signV1(previous, MSG_ID, ts, body)), secrets))
                .doesNotThrowAnyException();
        assertThatCode(() -> adapter.verify(signed(body, MSG_ID, ts, signV1(current, MSG_ID, ts, body)), secrets))
                .doesNotThrowAnyException();
        // a secret that is not base64 at all is skipped rather than breaking verification
        assertThatCode(() -> adapter.verify(signed(body, MSG_ID, ts, signV1(current, MSG_ID, ts, body)),
                List.of("not*base64*", whsec(current)))).doesNotThrowAnyException();
    }

    @Test
    void timestampTenMinutesOldIsOutOfTolerance() throws Exception {
        byte[] key = randomBytes(32);
        byte[] body = sample("gitlab/push_hook.json");
        long old = NOW.getEpochSecond() - 600;
        WebhookRejection r = rejection(signed(body, MSG_ID, old, signV1(key, MSG_ID, old, body)), List.of(whsec(key)));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("timestamp_out_of_tolerance");
    }

    @Test
    void timestampTenMinutesInTheFutureIsOutOfTolerance() throws Exception {
        byte[] key = randomBytes(32);
        byte[] body = sample("gitlab/push_hook.json");
        long future = NOW.getEpochSecond() + 600;
        assertThat(rejection(signed(body, MSG_ID, future, signV1(key, MSG_ID, future, body)), List.of(whsec(key)))
                .code()).isEqualTo("timestamp_out_of_tolerance");
    }

    @Test
    void signatureWithAnotherKeyOrOverAnotherBodyIsInvalid() throws Exception {
        byte[] key = randomBytes(32);
        byte[] body = sample("gitlab/push_hook.json");
        long ts = NOW.getEpochSecond();
        WebhookRejection wrongKey = rejection(signed(body, MSG_ID, ts, signV1(randomBytes(32), MSG_ID, ts, body)),
                List.of(whsec(key)));
        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(wrongKey.code()).isEqualTo("invalid_signature");

        byte[] changed = Arrays.copyOf(body, body.length + 1);
        changed[body.length] = '\n';
        assertThat(rejection(signed(changed, MSG_ID, ts, signV1(key, MSG_ID, ts, body)), List.of(whsec(key)))
                .code()).isEqualTo("invalid_signature");

        // the signature binds the message id
        assertThat(rejection(signed(body, "other-id", ts, signV1(key, MSG_ID, ts, body)), List.of(whsec(key)))
                .code()).isEqualTo("invalid_signature");
    }

    @Test
    void incompleteSigningHeadersAreRejected() throws Exception {
        byte[] key = randomBytes(32);
        byte[] body = sample("gitlab/push_hook.json");
        long ts = NOW.getEpochSecond();
        String sig = signV1(key, MSG_ID, ts, body);
        WebhookRejection noId = rejection(request(body, "webhook-timestamp", Long.toString(ts),
                "webhook-signature", sig), List.of(whsec(key)));
        assertThat(noId.status()).isEqualTo(401);
        assertThat(noId.code()).isEqualTo("invalid_signature");
        assertThat(rejection(request(body, "webhook-id", MSG_ID, "webhook-timestamp", "yesterday",
                "webhook-signature", sig), List.of(whsec(key))).code()).isEqualTo("invalid_signature");
    }

    @Test
    void aBadSignatureIsNotRescuedByAValidToken() throws Exception {
        byte[] key = randomBytes(32);
        String secret = whsec(key);
        byte[] body = sample("gitlab/push_hook.json");
        long ts = NOW.getEpochSecond();
        InboundRequest req = request(body, "X-Gitlab-Token", secret, "webhook-id", MSG_ID,
                "webhook-timestamp", Long.toString(ts), "webhook-signature", signV1(randomBytes(32), MSG_ID, ts, body));
        assertThat(rejection(req, List.of(secret)).code()).isEqualTo("invalid_signature");
    }

    // --- headers ----------------------------------------------------------------------------------------------

    @Test
    void deliveryIdPrefersIdempotencyKeyThenWebhookIdThenEventUuid() {
        byte[] body = new byte[0];
        assertThat(adapter.deliveryId(request(body, "Idempotency-Key", "idem", "webhook-id", "wh",
                "X-Gitlab-Event-UUID", "uuid"))).isEqualTo("idem");
        assertThat(adapter.deliveryId(request(body, "webhook-id", "wh", "X-Gitlab-Event-UUID", "uuid")))
                .isEqualTo("wh");
        assertThat(adapter.deliveryId(request(body, "X-Gitlab-Event-UUID", "uuid"))).isEqualTo("uuid");
        assertThat(adapter.deliveryId(request(body, "x-gitlab-event-uuid", "uuid"))).isEqualTo("uuid");
        assertThat(adapter.deliveryId(request(body))).isNull();
    }

    @Test
    void eventComesFromXGitlabEventAndThereIsNoPing() {
        assertThat(adapter.event(request(new byte[0], "X-Gitlab-Event", "Tag Push Hook"))).isEqualTo("Tag Push Hook");
        assertThat(adapter.isPing("Push Hook")).isFalse();
        assertThat(adapter.isPing("ping")).isFalse();
    }

    @Test
    void newSecretsAreWhsecSecretsThatDecodeTo32Bytes() {
        String secret = adapter.newSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
    }

    // --- push extraction --------------------------------------------------------------------------------------

    @Test
    void pushHookSampleIsABranchPush() throws Exception {
        JsonNode payload = mapper.readTree(sample("gitlab/push_hook.json"));
        PushInfo push = adapter.push("Push Hook", payload, "master").orElseThrow();
        assertThat(push.kind()).isEqualTo(PushInfo.Kind.BRANCH);
        assertThat(push.refName()).isEqualTo("master");
        assertThat(push.commitSha()).isEqualTo("da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
        assertThat(push.commitMessage()).isEqualTo("fixed readme");
        assertThat(push.author()).isEqualTo("GitLab dev user");
        assertThat(push.repositoryUrl()).isEqualTo("http://example.com/mike/diaspora");
        assertThat(push.compareUrl()).isEqualTo("http://example.com/mike/diaspora/-/compare/"
                + "95790bf891e76fee5e1747ab589903a6a1f80f22...da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
    }

    @Test
    void headCommitIsFoundByShaNotByPosition() throws Exception {
        ObjectNode payload = (ObjectNode) mapper.readTree(sample("gitlab/push_hook.json"));
        payload.put("checkout_sha", "b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327");
        PushInfo push = adapter.push("Push Hook", payload, "master").orElseThrow();
        assertThat(push.commitSha()).isEqualTo("b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327");
        assertThat(push.commitMessage()).startsWith("Update Catalan translation to e38cb41.");
        assertThat(push.author()).isEqualTo("Jordi Mallach");
    }

    @Test
    void tagPushHookSampleIsATag() throws Exception {
        JsonNode payload = mapper.readTree(sample("gitlab/tag_push_hook.json"));
        PushInfo push = adapter.push("Tag Push Hook", payload, "master").orElseThrow();
        assertThat(push.kind()).isEqualTo(PushInfo.Kind.TAG);
        assertThat(push.refName()).isEqualTo("v1.0.0");
        assertThat(push.commitSha()).isEqualTo("82b3d5ae55f7080f1e6022629cdb57bfae7cccc7");
        assertThat(push.author()).isEqualTo("John Smith");
        assertThat(push.repositoryUrl()).isEqualTo("http://example.com/jsmith/example");
        assertThat(push.compareUrl()).isNull(); // before is the zero sha
    }

    @Test
    void branchDeletionIsRecognised() throws Exception {
        ObjectNode payload = (ObjectNode) mapper.readTree(sample("gitlab/push_hook.json"));
        payload.put("after", "0000000000000000000000000000000000000000");
        payload.putNull("checkout_sha");
        payload.putArray("commits");
        PushInfo push = adapter.push("Push Hook", payload, "master").orElseThrow();
        assertThat(push.kind()).isEqualTo(PushInfo.Kind.BRANCH_DELETED);
        assertThat(push.refName()).isEqualTo("master");
        assertThat(push.compareUrl()).isNull();
    }

    @Test
    void otherEventsHaveNoPushInfo() throws Exception {
        assertThat(adapter.push("Merge Request Hook", mapper.readTree(sample("gitlab/merge_request_hook.json")),
                "master")).isEmpty();
        assertThat(adapter.push("Pipeline Hook", mapper.readTree(sample("gitlab/pipeline_hook.json")), "master"))
                .isEmpty();
        assertThat(adapter.push("Job Hook", mapper.readTree(sample("gitlab/job_hook.json")), "master")).isEmpty();
        // the event header decides: a push body under another event name is not a push
        assertThat(adapter.push("System Hook", mapper.readTree(sample("gitlab/push_hook.json")), "master")).isEmpty();
    }
}
