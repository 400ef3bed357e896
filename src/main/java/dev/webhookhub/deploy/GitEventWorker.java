package dev.webhookhub.deploy;

import dev.webhookhub.deliveries.DeliveryEvent;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.events.EventTypes;
import dev.webhookhub.store.Deployment;
import dev.webhookhub.store.DeploymentStore;
import dev.webhookhub.store.TimeOrderedIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Works accepted deliveries off the queue, a batch at a time: a push to the service's branch becomes a pending
 * deployment; any other event is marked processed. A batch is one transaction guarded by each delivery's status, so
 * a delivery queued twice (recovery after a crash) is still processed once. The body is one envelope or a list of
 * them ({@link DeliveryEvent}s, or their JSON form when recovered); header {@code hubProcessed} is set to how many this call processed.
 */
public final class GitEventWorker implements Processor {

    private final DeploymentStore deployments;
    private final EventBus events;

    public GitEventWorker(DeploymentStore deployments, EventBus events) {
        this.deployments = deployments;
        this.events = events;
    }

    @Override
    public void process(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        List<?> queued = body instanceof List<?> list ? list : List.of(body);
        List<DeploymentStore.Completion> batch = new ArrayList<>(queued.size());
        List<DeliveryEvent> received = new ArrayList<>(queued.size());
        for (Object item : queued) {
            DeliveryEvent event = DeliveryEvent.of(item);
            Deployment deployment = "git.push".equals(event.type()) ? pending(event) : null;
            batch.add(new DeploymentStore.Completion(event.id(), deployment));
            received.add(event);
        }
        Set<String> processed = deployments.completeDeliveries(batch);
        exchange.getIn().setHeader("hubProcessed", processed.size());
        for (int i = 0; i < received.size(); i++) {
            if (processed.contains(batch.get(i).deliveryId())) {
                announce(received.get(i), batch.get(i).deployment());
            }
        }
    }

    /** webhook_received on the event bus, once the delivery is processed. */
    private void announce(DeliveryEvent event, Deployment deployment) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("delivery_id", event.id());
        d.put("event_type", event.type());
        String sender = event.text("sender"); // a sender configured by settings (no service)
        d.put("provider", sender != null ? sender : event.text("provider"));
        d.put("event", event.text("event"));
        d.put("branch", event.text("branch"));
        d.put("tag", event.text("tag"));
        d.put("commit", event.text("commitSha"));
        d.put("commit_message", event.text("commitMessage"));
        d.put("author", event.text("author"));
        d.put("repository_url", event.text("repositoryUrl"));
        String compare = event.text("compareUrl");
        d.put("url", compare != null ? compare : event.text("repositoryUrl"));
        d.put("status", deployment != null ? "deployment pending" : "processed");
        d.put("deployment_id", deployment != null ? deployment.id() : null);
        String serviceId = event.text("serviceId");
        events.publish(EventTypes.WEBHOOK_RECEIVED, serviceId != null ? "service:" + serviceId : "sender:" + sender,
                serviceId != null ? event.text("serviceName") : event.subject(), serviceId, null, d);
    }

    private static Deployment pending(DeliveryEvent event) {
        Instant now = Instant.now();
        return new Deployment(TimeOrderedIds.next(), event.text("serviceId"), event.id(),
                event.text("provider"), "pending", event.text("commitSha"), event.text("branch"),
                event.text("commitMessage"), event.text("author"), event.text("repositoryUrl"),
                event.text("compareUrl"), now, now);
    }

}
