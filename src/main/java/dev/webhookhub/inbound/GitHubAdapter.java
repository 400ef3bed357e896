package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.security.RandomSecrets;
import dev.webhookhub.security.SignatureSchemes;
import java.util.List;
import java.util.Optional;

/** GitHub: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>}. */
public final class GitHubAdapter implements GitProviderAdapter {

    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    /** What {@link #push} reads of a push's body. */
    private static final JsonFields PUSH_FIELDS = JsonFields.of("ref", "deleted", "after", "head_commit.id",
            "head_commit.message", "head_commit.author.name", "pusher.name", "sender.login", "repository.html_url",
            "compare");

    @Override
    public String name() {
        return "github";
    }

    @Override
    public void verify(InboundRequest request, List<String> secrets) {
        WebhookRejection.require(SignatureSchemes.GITHUB.verify(request.signed(), secrets));
    }

    @Override
    public String deliveryId(InboundRequest request) {
        return request.header("X-GitHub-Delivery");
    }

    @Override
    public String event(InboundRequest request) {
        return request.header("X-GitHub-Event");
    }

    @Override
    public boolean isPing(String event) {
        return "ping".equals(event);
    }

    @Override
    public JsonFields pushFields(String event) {
        return "push".equals(event) ? PUSH_FIELDS : null;
    }

    @Override
    public Optional<PushInfo> push(String event, JsonNode p, String serviceBranch) {
        if (!"push".equals(event)) {
            return Optional.empty();
        }
        String ref = Json.text(p, "ref");
        boolean tag = ref != null && ref.startsWith("refs/tags/");
        boolean deleted = p.path("deleted").asBoolean(false) || Json.isZeroSha(Json.text(p, "after"));
        PushInfo.Kind kind = tag ? PushInfo.Kind.TAG : deleted ? PushInfo.Kind.BRANCH_DELETED : PushInfo.Kind.BRANCH;
        JsonNode head = p.get("head_commit");
        return Optional.of(new PushInfo(kind, GitRefs.shortName(ref),
                Json.firstText(head == null ? null : head.get("id"), p.get("after")),
                Json.text(head, "message"),
                Json.firstText(head == null ? null : head.path("author").get("name"), p.path("pusher").get("name"),
                        p.path("sender").get("login")),
                Json.text(p, "repository", "html_url"),
                Json.text(p, "compare")));
    }

    @Override
    public String newSecret() {
        return RandomSecrets.token(32);
    }

    @Override
    public String setupInstructions(String webhookUrl) {
        return "In your GitHub repository open Settings > Webhooks > Add webhook. Set Payload URL to " + webhookUrl
                + ", Content type to application/json, Secret to the secret shown here (it is shown only once), "
                + "choose 'Just the push event', keep Active checked and save.";
    }

}
