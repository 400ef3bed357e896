package dev.webhookhub.webhooks;

import dev.webhookhub.deliveries.DeliveryEvent;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.events.EventTypes;
import dev.webhookhub.deliveries.DeliveryStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works accepted registered-webhook deliveries off their queue: counts the trigger and marks the delivery processed
 * (once, whatever the number of times it is queued), then queues a job for the webhook's sync config.
 */
public final class RegisteredWebhookWorker implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RegisteredWebhookWorker.class);

    private final RegisteredWebhookStore store;
    private final SyncTrigger syncTrigger;
    private final DataSource ds;
    private final EventBus events;

    public RegisteredWebhookWorker(RegisteredWebhookStore store, SyncTrigger syncTrigger,
            DataSource ds, EventBus events) {
        this.store = store;
        this.syncTrigger = syncTrigger;
        this.ds = ds;
        this.events = events;
    }

    @Override
    public void process(Exchange exchange) {
        DeliveryEvent event = DeliveryEvent.of(exchange.getIn().getBody());
        String deliveryId = event.id();
        String webhookId = event.text("webhookId");
        if (!store.completeTrigger(deliveryId, webhookId)) {
            return;
        }
        String syncConfigId = event.text("syncConfigId");
        String jobId = null;
        String error = null;
        if (syncConfigId != null) {
            List<String> items = event.texts("workItemIds");
            try {
                jobId = syncTrigger.queue(syncConfigId, "webhook", items);
            } catch (RuntimeException e) {
                error = "sync job not queued: " + e.getMessage();
                LOG.warn("webhook delivery {}: {}", deliveryId, error);
                markFailed(deliveryId, error);
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("delivery_id", deliveryId);
        d.put("event_type", event.type());
        d.put("provider", RegisteredWebhookStore.PROVIDER);
        d.put("event", event.text("event"));
        d.put("webhook_id", webhookId);
        d.put("sync_config_id", syncConfigId);
        d.put("job_id", jobId);
        d.put("status", error != null ? "failed" : jobId != null ? "sync job queued" : "processed");
        d.put("error", error);
        events.publish(EventTypes.WEBHOOK_RECEIVED, "webhook:" + webhookId, event.text("webhookName"), null,
                syncConfigId, d);
    }

    private void markFailed(String deliveryId, String error) {
        DeliveryStatus.markFailed(ds, deliveryId, error, DeliveryStatus.PROCESSED);
    }

}
