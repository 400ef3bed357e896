package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.deliveries.DeliveryEvent;
import dev.webhookhub.deliveries.ReceivedDelivery;
import dev.webhookhub.store.Service;
import dev.webhookhub.store.StoredText;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the typed event ({@link DeliveryEvent}, CloudEvents-style) the flows behind the inbox consume for a Git
 * provider's delivery.
 */
final class EventEnvelope {

    /**
     * The envelope is stored with its delivery (a column of up to 1,000,000 characters on H2), so what a push says
     * is cut to the deployments columns it ends up in, and the commit message to 64 K characters; the raw payload
     * keeps everything.
     */
    static final int COMMIT_MESSAGE_CHARS = 65_536;

    private EventEnvelope() {
    }

    static String type(String provider, String event, PushInfo push) {
        if (push != null) {
            return switch (push.kind()) {
                case BRANCH -> "git.push";
                case TAG -> "git.tag";
                case BRANCH_DELETED -> "git.branch_deleted";
            };
        }
        String normalised = event == null ? "unknown" : event.trim().toLowerCase(java.util.Locale.ROOT)
                .replaceAll(" hook$", "").replace(' ', '_');
        return provider + "." + normalised;
    }

    static DeliveryEvent build(ReceivedDelivery d, Service service, String type, PushInfo push,
            JsonNode payload) {
        String ref = push == null ? null : StoredText.fit(push.refName(), 255);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("serviceId", service.id());
        data.put("serviceName", service.name());
        data.put("provider", d.provider());
        data.put("providerDeliveryId", d.providerDeliveryId());
        data.put("event", d.event());
        if (push != null) {
            data.put("branch", push.kind() == PushInfo.Kind.TAG ? null : ref);
            data.put("tag", push.kind() == PushInfo.Kind.TAG ? ref : null);
            data.put("commitSha", StoredText.fit(push.commitSha(), 64));
            data.put("commitMessage", StoredText.fit(push.commitMessage(), COMMIT_MESSAGE_CHARS));
            data.put("author", StoredText.fit(push.author(), 255));
            data.put("repositoryUrl", StoredText.fit(push.repositoryUrl(), 1000));
            data.put("compareUrl", StoredText.fit(push.compareUrl(), 1000));
        }
        // a push needs nothing beyond data; other events (CI runs) travel with the parsed body
        return new DeliveryEvent(d.id(), "/api/containers/webhooks/" + d.provider() + "/" + d.serviceId(), type,
                ref != null ? service.name() + "@" + ref : service.name(), d.receivedAt(), data,
                push == null ? payload : null);
    }
}
