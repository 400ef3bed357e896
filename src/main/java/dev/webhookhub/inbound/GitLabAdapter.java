package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.security.RandomSecrets;
import dev.webhookhub.security.SignatureSchemes;
import dev.webhookhub.security.SignedRequest;
import dev.webhookhub.security.StandardWebhooksScheme;
import dev.webhookhub.security.StandardWebhooksSignature;
import java.util.List;
import java.util.Optional;

/**
 * GitLab: the secret token in {@code X-Gitlab-Token}, or, when GitLab signs deliveries, Standard Webhooks headers
 * ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}). The hub issues GitLab secrets in the
 * {@code whsec_} form so the same value works as secret token and as signing token.
 */
public final class GitLabAdapter implements GitProviderAdapter {

    private final StandardWebhooksScheme standardWebhooks;

    public GitLabAdapter(StandardWebhooksSignature standardWebhooks) {
        this.standardWebhooks = new StandardWebhooksScheme(standardWebhooks).refusingIncompleteHeadersAs(
                "invalid_signature",
                "webhook-id, webhook-timestamp and webhook-signature must all be present and well formed");
    }

    @Override
    public String name() {
        return "gitlab";
    }

    @Override
    public void verify(InboundRequest request, List<String> secrets) {
        SignedRequest signed = request.signed();
        WebhookRejection.require(standardWebhooks.presentIn(signed) ? standardWebhooks.verify(signed, secrets)
                : SignatureSchemes.GITLAB_TOKEN.verify(signed, secrets));
    }

    @Override
    public String deliveryId(InboundRequest request) {
        String id = request.header("Idempotency-Key");
        if (id == null) {
            id = request.header("webhook-id");
        }
        return id != null ? id : request.header("X-Gitlab-Event-UUID");
    }

    @Override
    public String event(InboundRequest request) {
        return request.header("X-Gitlab-Event");
    }

    @Override
    public boolean isPing(String event) {
        return false;
    }

    @Override
    public Optional<PushInfo> push(String event, JsonNode p, String serviceBranch) {
        boolean tag = "Tag Push Hook".equals(event);
        if (!tag && !"Push Hook".equals(event)) {
            return Optional.empty();
        }
        String after = Json.text(p, "after");
        String checkout = Json.text(p, "checkout_sha");
        boolean deleted = !tag && (Json.isZeroSha(after) || (checkout == null && after == null));
        PushInfo.Kind kind = tag ? PushInfo.Kind.TAG : deleted ? PushInfo.Kind.BRANCH_DELETED : PushInfo.Kind.BRANCH;
        String sha = checkout != null ? checkout : after;
        JsonNode head = headCommit(p.path("commits"), sha);
        String webUrl = Json.firstText(p.path("project").get("web_url"), p.path("repository").get("homepage"));
        String before = Json.text(p, "before");
        String compare = webUrl != null && before != null && !Json.isZeroSha(before) && after != null
                && !Json.isZeroSha(after) ? webUrl + "/-/compare/" + before + "..." + after : null;
        return Optional.of(new PushInfo(kind, GitRefs.shortName(Json.text(p, "ref")), sha,
                Json.text(head, "message"),
                Json.firstText(head == null ? null : head.path("author").get("name"), p.get("user_name"),
                        p.get("user_username")),
                webUrl, compare));
    }

    private static JsonNode headCommit(JsonNode commits, String sha) {
        if (!commits.isArray() || commits.isEmpty()) {
            return null;
        }
        for (JsonNode c : commits) {
            if (sha != null && sha.equals(Json.text(c, "id"))) {
                return c;
            }
        }
        return commits.get(commits.size() - 1);
    }

    @Override
    public String newSecret() {
        return RandomSecrets.standardWebhooksSecret();
    }

    @Override
    public String setupInstructions(String webhookUrl) {
        return "In your GitLab project open Settings > Webhooks > Add new webhook. Set URL to " + webhookUrl
                + ", Secret token to the secret shown here (it is shown only once; if your GitLab signs webhooks, "
                + "use the same value as the signing token), check Push events and Tag push events, and save.";
    }
}
