package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.security.RandomSecrets;
import dev.webhookhub.security.SignatureSchemes;
import java.util.List;
import java.util.Optional;

/**
 * Azure DevOps service hooks (Web Hooks consumer). They carry no signature and no event header: the subscription's
 * HTTP basic authentication password is the service's webhook secret (any user name), and the event type and id
 * are in the body ({@code eventType}, {@code id}).
 */
public final class AzureDevOpsAdapter implements GitProviderAdapter {

    @Override
    public String name() {
        return "azure-devops";
    }

    @Override
    public void verify(InboundRequest request, List<String> secrets) {
        WebhookRejection.require(SignatureSchemes.BASIC_AUTH.verify(request.signed(), secrets));
    }

    @Override
    public boolean identifiedByBody() {
        return true;
    }

    @Override
    public String deliveryId(InboundRequest request) {
        return null;
    }

    @Override
    public String event(InboundRequest request) {
        return null;
    }

    @Override
    public String deliveryId(InboundRequest request, JsonNode payload) {
        return payload == null ? null : Json.text(payload, "id");
    }

    @Override
    public String event(InboundRequest request, JsonNode payload) {
        return payload == null ? null : Json.text(payload, "eventType");
    }

    @Override
    public boolean isPing(String event) {
        return false;
    }

    /** A git.push to a branch or tag; the first ref update is the one taken. */
    @Override
    public Optional<PushInfo> push(String event, JsonNode p, String serviceBranch) {
        if (!"git.push".equals(event)) {
            return Optional.empty();
        }
        JsonNode r = p.path("resource");
        JsonNode updates = r.path("refUpdates");
        if (!updates.isArray() || updates.isEmpty()) {
            return Optional.empty();
        }
        JsonNode update = updates.get(0);
        for (JsonNode u : updates) {
            if (("refs/heads/" + serviceBranch).equals(Json.text(u, "name"))) {
                update = u;
            }
        }
        String ref = Json.text(update, "name");
        boolean tag = ref != null && ref.startsWith("refs/tags/");
        boolean deleted = Json.isZeroSha(Json.text(update, "newObjectId"));
        JsonNode commits = r.path("commits");
        JsonNode head = commits.isArray() && !commits.isEmpty() ? commits.get(0) : null;
        PushInfo.Kind kind = tag ? PushInfo.Kind.TAG : deleted ? PushInfo.Kind.BRANCH_DELETED : PushInfo.Kind.BRANCH;
        return Optional.of(new PushInfo(kind, GitRefs.shortName(ref), Json.text(update, "newObjectId"),
                head == null ? null : Json.text(head, "comment"),
                Json.firstText(head == null ? null : head.path("author").get("name"),
                        r.path("pushedBy").get("displayName")),
                Json.text(r, "repository", "remoteUrl"), null));
    }

    @Override
    public String newSecret() {
        return RandomSecrets.token(32);
    }

    @Override
    public String setupInstructions(String webhookUrl) {
        return "In Azure DevOps open Project settings > Service hooks > Create subscription > Web Hooks. Choose the "
                + "event (Build completed, or Code pushed), set URL to " + webhookUrl + ", Basic authentication "
                + "username to any name and password to the secret shown here (it is shown only once), "
                + "Resource details to send: All, and finish.";
    }
}
