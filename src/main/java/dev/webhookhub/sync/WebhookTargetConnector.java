package dev.webhookhub.sync;

import dev.webhookhub.outbound.OutboundApi;
import dev.webhookhub.outbound.OutboundEndpoint;
import dev.webhookhub.outbound.OutboundPublisher;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * The webhook target (routes/connectors/target-webhook.yaml), bound as {@code syncWebhookTarget}: each mapped item
 * goes out through the outbound engine (signed, retried, backed up) to an endpoint for the URL, created on first use
 * with the configured scheme and secret (or reused when one exists for the URL).
 */
public final class WebhookTargetConnector {

    private final OutboundApi endpoints;
    private final OutboundPublisher publisher;

    public WebhookTargetConnector(OutboundApi endpoints, OutboundPublisher publisher) {
        this.endpoints = endpoints;
        this.publisher = publisher;
    }

    public void send(Exchange e) {
        String url = e.getProperty("syncUrl", String.class);
        String scheme = e.getProperty("syncScheme", String.class);
        String secret = e.getProperty("syncSecret", String.class);
        String eventType = e.getProperty("syncEventType", String.class);
        OutboundEndpoint endpoint = endpoints.ensure(url, List.of(), scheme == null || scheme.isBlank()
                ? OutboundApi.DEFAULT_SCHEME : scheme, secret, "sync target");
        String messageId = publisher.sendTo(endpoint.id(), eventType == null || eventType.isBlank() ? "sync.item"
                : eventType, e.getMessage().getBody(String.class));
        e.getMessage().setHeader("CamelSyncMessageId", messageId);
        if (e.getMessage().getHeader(SyncRunner.TARGET_ID) == null) {
            e.getMessage().setHeader(SyncRunner.TARGET_ID, e.getMessage().getHeader(SyncRunner.SOURCE_ID));
        }
    }
}
