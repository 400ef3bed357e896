package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.store.Service;

/**
 * Builds the CloudEvents-style envelope ({@code specversion, id, source, type, subject, time, datacontenttype,
 * data}) the flows behind the inbox consume.
 */
final class EventEnvelope {

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
        root.put("subject", push != null && push.refName() != null ? service.name() + "@" + push.refName()
                : service.name());
        root.put("time", d.receivedAt().toString());
        root.put("datacontenttype", "application/json");
        ObjectNode data = root.putObject("data");
        data.put("serviceId", service.id());
        data.put("serviceName", service.name());
        data.put("provider", d.provider());
        data.put("providerDeliveryId", d.providerDeliveryId());
        data.put("event", d.event());
        if (push != null) {
            data.put("branch", push.kind() == PushInfo.Kind.TAG ? null : push.refName());
            data.put("tag", push.kind() == PushInfo.Kind.TAG ? push.refName() : null);
            data.put("commitSha", push.commitSha());
            data.put("commitMessage", push.commitMessage());
            data.put("author", push.author());
            data.put("repositoryUrl", push.repositoryUrl());
            data.put("compareUrl", push.compareUrl());
        }
        return root.toString();
    }
}
