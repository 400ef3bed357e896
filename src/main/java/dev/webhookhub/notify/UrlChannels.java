package dev.webhookhub.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.events.EventTypes;
import dev.webhookhub.outbound.OutboundApi;
import dev.webhookhub.outbound.OutboundEndpoint;
import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.outbound.OutboundStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack, Teams and webhook channels: each recipient URL is an outbound endpoint (created on first use, subscribed to
 * no broadcast events, so it only receives what is addressed to it), and each notification one outbound message,
 * signed, retried on the outbound schedule and backed up like every other. One URL failing never stops the others.
 */
public final class UrlChannels {

    static final String ENDPOINT_DESCRIPTION = "notification channel";
    private static final Logger LOG = LoggerFactory.getLogger(UrlChannels.class);

    private final OutboundApi endpoints;
    private final OutboundStore outboundStore;
    private final OutboundPublisher publisher;
    private final NotificationTemplates templates;
    private final NotificationContent content;
    private final ChatPayloads payloads;
    private final ObjectMapper mapper;

    public UrlChannels(OutboundApi endpoints, OutboundStore outboundStore, OutboundPublisher publisher,
            NotificationTemplates templates, NotificationContent content, ObjectMapper mapper) {
        this.endpoints = endpoints;
        this.outboundStore = outboundStore;
        this.publisher = publisher;
        this.templates = templates;
        this.content = content;
        this.payloads = new ChatPayloads(mapper);
        this.mapper = mapper;
    }

    /** Queues the notification for every recipient URL; returns the outbound message ids. */
    public List<String> send(Notification n) {
        NotificationSetting s = n.setting();
        NotificationContent.Values values = content.values(n.event(), Map.of("setting_id", s.id()));
        RenderedMessage rendered = templates.render(n.event().type(), values);
        String body = switch (s.type()) {
            case NotificationSetting.SLACK -> payloads.slack(rendered, values.text("link"), settings(s)).toString();
            case NotificationSetting.TEAMS -> payloads.teams(rendered, values.text("link")).toString();
            default -> payloads.webhook(n.event(), rendered, s.id()).toString();
        };
        List<String> ids = new ArrayList<>();
        for (String url : s.recipients()) {
            try {
                OutboundEndpoint endpoint = endpointFor(url);
                if (isAbout(n, endpoint)) {
                    LOG.debug("not notifying endpoint {} about its own failure", endpoint.id());
                    continue;
                }
                ids.add(publisher.sendTo(endpoint.id(), n.event().type(), body));
            } catch (RuntimeException e) {
                LOG.warn("notification {} for setting {} could not be queued for one {} recipient: {}",
                        n.event().type(), s.id(), s.type(), e.toString());
            }
        }
        return ids;
    }

    /** The outbound endpoint of a recipient URL, created when there is none. */
    public synchronized OutboundEndpoint endpointFor(String url) {
        return endpoints.ensure(url, List.of(), OutboundApi.DEFAULT_SCHEME, null, ENDPOINT_DESCRIPTION);
    }

    /** The endpoint of a URL when it exists (for listing a setting's messages). */
    public Optional<OutboundEndpoint> existingEndpoint(String url) {
        return outboundStore.endpointByUrl(url);
    }

    /** An outbound failure event about the very endpoint would only fail again there. */
    private static boolean isAbout(Notification n, OutboundEndpoint endpoint) {
        String type = n.event().type();
        if (!EventTypes.DELIVERY_EXHAUSTED.equals(type) && !EventTypes.ENDPOINT_DISABLED.equals(type)) {
            return false;
        }
        return ("endpoint:" + endpoint.id()).equals(n.event().subjectKey())
                || endpoint.id().equals(n.event().text("endpoint_id"));
    }

    private JsonNode settings(NotificationSetting s) {
        try {
            return s.settingsJson() == null ? null : mapper.readTree(s.settingsJson());
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
