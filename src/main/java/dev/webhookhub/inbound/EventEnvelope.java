package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.store.Service;
import dev.webhookhub.store.StoredText;

/**
 * Builds the CloudEvents-style envelope ({@code specversion, id, source, type, subject, time, datacontenttype,
 * data}) the flows behind the inbox consume.
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

    static String build(ObjectMapper mapper, ReceivedDelivery d, Service service, String type, PushInfo push) {
        ObjectNode root = mapper.createObjectNode();
        root.put("specversion", "1.0");
        root.put("id", d.id());
        root.put("source", "/api/containers/webhooks/" + d.provider() + "/" + d.serviceId());
        root.put("type", type);
        String ref = push == null ? null : StoredText.fit(push.refName(), 255);
        root.put("subject", ref != null ? service.name() + "@" + ref : service.name());
        root.put("time", d.receivedAt().toString());
        root.put("datacontenttype", "application/json");
        ObjectNode data = root.putObject("data");
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
        return root.toString();
    }
}
