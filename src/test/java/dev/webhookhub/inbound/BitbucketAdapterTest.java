package dev.webhookhub.inbound;

import static dev.webhookhub.inbound.AdapterFixtures.request;
import static dev.webhookhub.inbound.AdapterFixtures.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Bitbucket Cloud and Data Center, against the jenkinsci/bitbucket-branch-source-plugin signed captures. */
class BitbucketAdapterTest {

    private static final String SECRET = "Gkvl$k$wyNpQAF42";
    private static final String CLOUD_SIG = "sha256=f205c729821c6954aff2afe72b965c34015b4baf96ea8ddc2cc44999c014a035";
    private static final String CLOUD_NEGATIVE =
            "sha256=f205c729821c6954aff2afe72b965c34015b4baf96ea8ddc2cc44999c014a036";
    private static final String DC_SIG = "sha256=4ffba9e7b58ea3d7e1a230446e8c92baea0aeec89b73f598932387254f0de13e";
    private static final String DC_NEGATIVE = "sha256=4ffba9e7b58ea3d7e1a230446e8c92baea0aeec89b73f598932387254f0de13f";
    private static final String DC_REQUEST_ID = "2b15f131-4d3a-436e-bc63-caa9ae92580d";

    private final BitbucketAdapter adapter = new BitbucketAdapter();
    private final ObjectMapper mapper = new ObjectMapper();

    static String hmacHex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private WebhookRejection rejection(InboundRequest request, List<String> secrets) {
        WebhookRejection r = catchThrowableOfType(WebhookRejection.class, () -> adapter.verify(request, secrets));
        assertThat(r).as("verify must reject").isNotNull();
        return r;
    }

    // --- signatures -------------------------------------------------------------------------------------------

    @Test
    void samplesAreTheExactSignedBytes() throws Exception {
        byte[] cloud = sample("bitbucket/repo_push.json");
        byte[] dc = sample("bitbucket-server/repo_refs_changed.json");
        assertThat(cloud).hasSize(14515);
        assertThat(dc).hasSize(1168);
        // independent check that the vectors and files agree
        assertThat("sha256=" + hmacHex(SECRET, cloud)).isEqualTo(CLOUD_SIG);
        assertThat("sha256=" + hmacHex(SECRET, dc)).isEqualTo(DC_SIG);
    }

    @Test
    void cloudVectorVerifies() {
        InboundRequest req = request(sample("bitbucket/repo_push.json"), "X-Event-Key", "repo:push",
                "X-Hub-Signature", CLOUD_SIG);
        assertThatCode(() -> adapter.verify(req, List.of(SECRET))).doesNotThrowAnyException();
    }

    @Test
    void cloudVectorVerifiesWithLowercaseHeaderNameAndAmongOtherSecrets() {
        InboundRequest req = request(sample("bitbucket/repo_push.json"), "x-hub-signature", CLOUD_SIG);
        assertThatCode(() -> adapter.verify(req, List.of("previous-secret", SECRET))).doesNotThrowAnyException();
        assertThatCode(() -> adapter.verify(req, List.of(SECRET, "next-secret"))).doesNotThrowAnyException();
    }

    @Test
    void cloudNegativeExampleIsInvalidSignature() {
        WebhookRejection r = rejection(request(sample("bitbucket/repo_push.json"), "X-Hub-Signature", CLOUD_NEGATIVE),
                List.of(SECRET));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("invalid_signature");
        assertThat(r.signatureValid()).isFalse();
    }

    @Test
    void reserialisedOrAppendedBodyDoesNotVerify() throws Exception {
        byte[] body = sample("bitbucket/repo_push.json");
        byte[] withNewline = Arrays.copyOf(body, body.length + 1);
        withNewline[body.length] = '\n';
        assertThat(rejection(request(withNewline, "X-Hub-Signature", CLOUD_SIG), List.of(SECRET)).code())
                .isEqualTo("invalid_signature");
        // same JSON value, different bytes (pretty-printed)
        byte[] reserialised = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(mapper.readTree(body));
        assertThat(mapper.readTree(reserialised)).isEqualTo(mapper.readTree(body));
        assertThat(reserialised).hasSizeGreaterThan(body.length);
        assertThat(rejection(request(reserialised, "X-Hub-Signature", CLOUD_SIG), List.of(SECRET)).code())
                .isEqualTo("invalid_signature");
    }

    @Test
    void wrongSecretIsInvalidSignature() {
        WebhookRejection r = rejection(request(sample("bitbucket/repo_push.json"), "X-Hub-Signature", CLOUD_SIG),
                List.of("Gkvl$k$wyNpQAF43"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("invalid_signature");
        assertThat(rejection(request(sample("bitbucket/repo_push.json"), "X-Hub-Signature", CLOUD_SIG), List.of())
                .code()).isEqualTo("invalid_signature");
    }

    @Test
    void missingHeaderIsMissingSignature() {
        WebhookRejection r = rejection(request(sample("bitbucket/repo_push.json"), "X-Event-Key", "repo:push"),
                List.of(SECRET));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("missing_signature");
        assertThat(rejection(request(sample("bitbucket/repo_push.json"), "X-Hub-Signature", "  "), List.of(SECRET))
                .code()).isEqualTo("missing_signature");
    }

    @Test
    void githubStyleHeaderIsNotReadForBitbucket() {
        WebhookRejection r = rejection(request(sample("bitbucket/repo_push.json"), "X-Hub-Signature-256", CLOUD_SIG),
                List.of(SECRET));
        assertThat(r.code()).isEqualTo("missing_signature");
    }

    @Test
    void sha1PrefixIsRejected() throws Exception {
        byte[] body = sample("bitbucket/repo_push.json");
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String sha1 = "sha1=" + HexFormat.of().formatHex(mac.doFinal(body));
        WebhookRejection r = rejection(request(body, "X-Hub-Signature", sha1), List.of(SECRET));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("invalid_signature");
        // the right digest with the wrong algorithm label is rejected too
        assertThat(rejection(request(body, "X-Hub-Signature", "sha1=" + CLOUD_SIG.substring(7)), List.of(SECRET))
                .code()).isEqualTo("invalid_signature");
        // and a bare digest without any prefix
        assertThat(rejection(request(body, "X-Hub-Signature", CLOUD_SIG.substring(7)), List.of(SECRET)).code())
                .isEqualTo("invalid_signature");
    }

    @Test
    void dataCenterVectorVerifies() {
        InboundRequest req = request(sample("bitbucket-server/repo_refs_changed.json"), "X-Event-Key",
                "repo:refs_changed", "X-Request-Id", DC_REQUEST_ID, "X-Hub-Signature", DC_SIG);
        assertThatCode(() -> adapter.verify(req, List.of(SECRET))).doesNotThrowAnyException();
    }

    @Test
    void dataCenterNegativeExampleIsInvalidSignature() {
        WebhookRejection r = rejection(request(sample("bitbucket-server/repo_refs_changed.json"),
                "X-Hub-Signature", DC_NEGATIVE), List.of(SECRET));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("invalid_signature");
    }

    @Test
    void cloudSignatureDoesNotVerifyTheDataCenterBody() {
        assertThat(rejection(request(sample("bitbucket-server/repo_refs_changed.json"), "X-Hub-Signature", CLOUD_SIG),
                List.of(SECRET)).code()).isEqualTo("invalid_signature");
    }

    // --- headers ----------------------------------------------------------------------------------------------

    @Test
    void dataCenterDeliveryIdComesFromXRequestId() {
        InboundRequest req = request(sample("bitbucket-server/repo_refs_changed.json"), "X-Event-Key",
                "repo:refs_changed", "X-Request-Id", DC_REQUEST_ID, "X-Hub-Signature", DC_SIG);
        assertThat(adapter.deliveryId(req)).isEqualTo(DC_REQUEST_ID);
        assertThat(adapter.event(req)).isEqualTo("repo:refs_changed");
    }

    @Test
    void cloudDeliveryIdComesFromXRequestUuid() {
        InboundRequest req = request(new byte[0], "X-Request-UUID", "cloud-uuid", "X-Request-Id", "dc-id",
                "X-Event-Key", "repo:push");
        assertThat(adapter.deliveryId(req)).isEqualTo("cloud-uuid");
        assertThat(adapter.event(req)).isEqualTo("repo:push");
        assertThat(adapter.deliveryId(request(new byte[0]))).isNull();
    }

    @Test
    void pingDetection() {
        assertThat(adapter.isPing("diagnostics:ping")).isTrue();
        assertThat(adapter.isPing("repo:push")).isFalse();
        assertThat(adapter.isPing("repo:refs_changed")).isFalse();
        assertThat(adapter.isPing("ping")).isFalse();
        assertThat(adapter.isPing(null)).isFalse();
    }

    // --- push extraction --------------------------------------------------------------------------------------

    @Test
    void cloudRepoPushIsABranchPush() throws Exception {
        JsonNode payload = mapper.readTree(sample("bitbucket/repo_push.json"));
        PushInfo push = adapter.push("repo:push", payload, "main").orElseThrow();
        assertThat(push.kind()).isEqualTo(PushInfo.Kind.BRANCH);
        assertThat(push.refName()).isEqualTo("feature/webhook");
        assertThat(push.commitSha()).isEqualTo("d7f300a32270053bdfd97a6d64113f58202c33e7");
        assertThat(push.commitMessage()).isEqualTo("Test for webhook signature\n");
        assertThat(push.author()).isEqualTo("Nikolas Falco");
        assertThat(push.repositoryUrl()).isEqualTo("https://bitbucket.org/nfalco79/test-repos");
        assertThat(push.compareUrl()).isEqualTo("https://bitbucket.org/nfalco79/test-repos/branch/feature/webhook");
    }

    @Test
    void cloudPushWithSeveralChangesPrefersTheServiceBranch() throws Exception {
        ObjectNode payload = (ObjectNode) mapper.readTree(sample("bitbucket/repo_push.json"));
        ArrayNode changes = (ArrayNode) payload.path("push").path("changes");
        ObjectNode other = changes.get(0).deepCopy();
        ((ObjectNode) other.get("new")).put("name", "release");
        ((ObjectNode) other.get("new").get("target")).put("hash", "1111111111111111111111111111111111111111");
        changes.insert(0, other);

        PushInfo forService = adapter.push("repo:push", payload, "feature/webhook").orElseThrow();
        assertThat(forService.refName()).isEqualTo("feature/webhook");
        assertThat(forService.commitSha()).isEqualTo("d7f300a32270053bdfd97a6d64113f58202c33e7");

        PushInfo firstLive = adapter.push("repo:push", payload, "main").orElseThrow();
        assertThat(firstLive.refName()).isEqualTo("release");
        assertThat(firstLive.commitSha()).isEqualTo("1111111111111111111111111111111111111111");
    }

    @Test
    void cloudClosedBranchIsABranchDeletion() throws Exception {
        ObjectNode payload = (ObjectNode) mapper.readTree(sample("bitbucket/repo_push.json"));
        ObjectNode change = (ObjectNode) payload.path("push").path("changes").get(0);
        change.set("old", change.get("new"));
        change.putNull("new");
        change.put("closed", true);
        change.put("created", false);

        PushInfo push = adapter.push("repo:push", payload, "feature/webhook").orElseThrow();
        assertThat(push.kind()).isEqualTo(PushInfo.Kind.BRANCH_DELETED);
        assertThat(push.refName()).isEqualTo("feature/webhook");
        assertThat(push.commitSha()).isEqualTo("d7f300a32270053bdfd97a6d64113f58202c33e7");
    }

    @Test
    void cloudTagPushIsATag() throws Exception {
        ObjectNode payload = (ObjectNode) mapper.readTree(sample("bitbucket/repo_push.json"));
        ObjectNode ref = (ObjectNode) payload.path("push").path("changes").get(0).get("new");
        ref.put("type", "tag");
        ref.put("name", "v1.2.3");
        PushInfo push = adapter.push("repo:push", payload, "v1.2.3").orElseThrow();
        assertThat(push.kind()).isEqualTo(PushInfo.Kind.TAG);
        assertThat(push.refName()).isEqualTo("v1.2.3");
    }

    @Test
    void dataCenterRefsChangedSampleIsABranchDeletion() throws Exception {
        JsonNode payload = mapper.readTree(sample("bitbucket-server/repo_refs_changed.json"));
        PushInfo push = adapter.push("repo:refs_changed", payload, "feature/BB-1").orElseThrow();
        assertThat(push.kind()).isEqualTo(PushInfo.Kind.BRANCH_DELETED);
        assertThat(push.refName()).isEqualTo("feature/BB-1");
        assertThat(push.commitSha()).isEqualTo("fb522a6f08c7c7df337312e4e65ec1b57710672e");
        assertThat(push.author()).isEqualTo("Administrator");
        assertThat(push.repositoryUrl())
                .isEqualTo("http://localhost:7990/bitbucket/projects/AMUNIZ/repos/test-repos/browse");
    }

    @Test
    void dataCenterUpdateIsABranchPushOfTheNewHash() throws Exception {
        ObjectNode payload = (ObjectNode) mapper.readTree(sample("bitbucket-server/repo_refs_changed.json"));
        ObjectNode change = (ObjectNode) payload.path("changes").get(0);
        change.put("type", "UPDATE");
        change.put("toHash", "2222222222222222222222222222222222222222");
        PushInfo push = adapter.push("repo:refs_changed", payload, "feature/BB-1").orElseThrow();
        assertThat(push.kind()).isEqualTo(PushInfo.Kind.BRANCH);
        assertThat(push.refName()).isEqualTo("feature/BB-1");
        assertThat(push.commitSha()).isEqualTo("2222222222222222222222222222222222222222");
    }

    @Test
    void nonPushEventsHaveNoPushInfo() throws Exception {
        JsonNode pr = mapper.readTree(sample("bitbucket/pullrequest_created.json"));
        assertThat(adapter.push("pullrequest:created", pr, "main")).isEmpty();
        assertThat(adapter.push("diagnostics:ping", mapper.createObjectNode(), "main")).isEmpty();
        // the event header decides, not the body
        JsonNode cloudPush = mapper.readTree(sample("bitbucket/repo_push.json"));
        assertThat(adapter.push("repo:refs_changed", cloudPush, "main")).isEmpty();
    }
}
