package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** The provider-specific part of taking a Git webhook in: signature, ids, event names, push fields. */
public interface GitProviderAdapter {

    String name();

    /** Throws a 401 {@link WebhookRejection} unless the request is signed with one of {@code secrets}. */
    void verify(InboundRequest request, List<String> secrets);

    /** The provider's delivery id, or null when the request carries none. */
    String deliveryId(InboundRequest request);

    /** The event name from the provider's event header, or null when absent. */
    String event(InboundRequest request);

    /**
     * Whether the sender puts the event name and delivery id in the body rather than in headers (Azure DevOps). The
     * verifier then parses the body first and passes it to {@link #event(InboundRequest, JsonNode)} and
     * {@link #deliveryId(InboundRequest, JsonNode)}.
     */
    default boolean identifiedByBody() {
        return false;
    }

    /** The event name; {@code payload} is the parsed body when {@link #identifiedByBody()}, else null. */
    default String event(InboundRequest request, JsonNode payload) {
        return event(request);
    }

    /** The delivery id; {@code payload} is the parsed body when {@link #identifiedByBody()}, else null. */
    default String deliveryId(InboundRequest request, JsonNode payload) {
        return deliveryId(request);
    }

    boolean isPing(String event);

    /**
     * The body fields {@link #push} reads when {@code event} is certain to be a push it describes, or null when it
     * needs the whole body (any other event, which travels on with its parsed body). The receiver then builds only
     * these fields of the body's tree.
     */
    default JsonFields pushFields(String event) {
        return null;
    }

    /** Push details when the event is a push (branch, tag or deletion); empty for other events. */
    Optional<PushInfo> push(String event, JsonNode payload, String serviceBranch);

    /** A secret of the form this provider's senders are configured with. */
    String newSecret();

    String setupInstructions(String webhookUrl);
}
