package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.security.RandomSecrets;
import dev.webhookhub.security.SignatureSchemes;
import java.util.List;
import java.util.Optional;

/**
 * Bitbucket Cloud ({@code repo:push}) and Bitbucket Data Center ({@code repo:refs_changed}): both sign with
 * {@code X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>}.
 */
public final class BitbucketAdapter implements GitProviderAdapter {

    @Override
    public String name() {
        return "bitbucket";
    }

    @Override
    public void verify(InboundRequest request, List<String> secrets) {
        WebhookRejection.require(SignatureSchemes.BITBUCKET.verify(request.signed(), secrets));
    }

    @Override
    public String deliveryId(InboundRequest request) {
        String cloud = request.header("X-Request-UUID");
        return cloud != null ? cloud : request.header("X-Request-Id");
    }

    @Override
    public String event(InboundRequest request) {
        return request.header("X-Event-Key");
    }

    @Override
    public boolean isPing(String event) {
        return "diagnostics:ping".equals(event);
    }

    @Override
    public Optional<PushInfo> push(String event, JsonNode p, String serviceBranch) {
        if ("repo:push".equals(event)) {
            return cloudPush(p, serviceBranch);
        }
        if ("repo:refs_changed".equals(event)) {
            return dataCenterPush(p, serviceBranch);
        }
        return Optional.empty();
    }

    private Optional<PushInfo> cloudPush(JsonNode p, String serviceBranch) {
        JsonNode changes = p.path("push").path("changes");
        JsonNode chosen = choose(changes, c -> {
            JsonNode ref = c.path("new").isObject() ? c.get("new") : c.path("old");
            return new RefView(Json.text(ref, "type"), Json.text(ref, "name"), c.path("closed").asBoolean(false)
                    || !c.path("new").isObject());
        }, serviceBranch);
        if (chosen == null) {
            return Optional.empty();
        }
        boolean closed = chosen.path("closed").asBoolean(false) || !chosen.path("new").isObject();
        JsonNode ref = closed ? chosen.path("old") : chosen.path("new");
        boolean tag = "tag".equals(Json.text(ref, "type"));
        JsonNode target = ref.path("target");
        PushInfo.Kind kind = tag ? PushInfo.Kind.TAG : closed ? PushInfo.Kind.BRANCH_DELETED : PushInfo.Kind.BRANCH;
        return Optional.of(new PushInfo(kind, Json.text(ref, "name"), Json.text(target, "hash"),
                Json.text(target, "message"),
                Json.firstText(target.path("author").path("user").get("display_name"),
                        target.path("author").get("raw"), p.path("actor").get("display_name")),
                Json.text(p, "repository", "links", "html", "href"),
                Json.firstText(chosen.path("links").path("diff").get("href"),
                        chosen.path("links").path("html").get("href"))));
    }

    private Optional<PushInfo> dataCenterPush(JsonNode p, String serviceBranch) {
        JsonNode chosen = choose(p.path("changes"), c -> new RefView(
                "TAG".equals(Json.text(c, "ref", "type")) ? "tag" : "branch",
                Json.firstText(c.path("ref").get("displayId"), c.get("refId")),
                "DELETE".equals(Json.text(c, "type"))), serviceBranch);
        if (chosen == null) {
            return Optional.empty();
        }
        boolean tag = "TAG".equals(Json.text(chosen, "ref", "type"));
        boolean deleted = "DELETE".equals(Json.text(chosen, "type"));
        PushInfo.Kind kind = tag ? PushInfo.Kind.TAG : deleted ? PushInfo.Kind.BRANCH_DELETED : PushInfo.Kind.BRANCH;
        JsonNode self = p.path("repository").path("links").path("self");
        return Optional.of(new PushInfo(kind,
                GitRefs.shortName(Json.firstText(chosen.get("refId"), chosen.path("ref").get("id"))),
                deleted ? Json.text(chosen, "fromHash") : Json.text(chosen, "toHash"),
                null,
                Json.firstText(p.path("actor").get("displayName"), p.path("actor").get("name")),
                self.isArray() && !self.isEmpty() ? Json.text(self.get(0), "href") : null,
                null));
    }

    private record RefView(String type, String name, boolean deleted) {
    }

    /**
     * One delivery may carry several ref changes: take the live branch change for the service's branch if there is
     * one, else a live branch change, else the first change.
     */
    private static JsonNode choose(JsonNode changes, java.util.function.Function<JsonNode, RefView> view,
            String serviceBranch) {
        if (!changes.isArray() || changes.isEmpty()) {
            return null;
        }
        JsonNode liveBranch = null;
        for (JsonNode c : changes) {
            RefView v = view.apply(c);
            boolean branch = "branch".equalsIgnoreCase(v.type());
            if (branch && !v.deleted() && v.name() != null && v.name().equals(serviceBranch)) {
                return c;
            }
            if (branch && !v.deleted() && liveBranch == null) {
                liveBranch = c;
            }
        }
        return liveBranch != null ? liveBranch : changes.get(0);
    }

    @Override
    public String newSecret() {
        return RandomSecrets.token(32);
    }

    @Override
    public String setupInstructions(String webhookUrl) {
        return "In your Bitbucket repository open Repository settings > Webhooks > Add webhook. Set URL to "
                + webhookUrl + ", Secret to the secret shown here (it is shown only once), select the Repository "
                + "push trigger (Data Center: Repository > Push) and save.";
    }
}
