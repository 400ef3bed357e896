package dev.webhookhub.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.events.EventTypes;
import dev.webhookhub.store.Deployment;
import dev.webhookhub.store.DeploymentStore;
import dev.webhookhub.store.TimeOrderedIds;
import java.io.IOException;
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
 * them; header {@code hubProcessed} is set to how many this call processed.
 */
public final class GitEventWorker implements Processor {

    private final ObjectMapper mapper;
    private final DeploymentStore deployments;
    private final EventBus events;

    public GitEventWorker(ObjectMapper mapper, DeploymentStore deployments, EventBus events) {
        this.mapper = mapper;
        this.deployments = deployments;
        this.events = events;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        Object body = exchange.getIn().getBody();
        List<?> envelopes = body instanceof List<?> list ? list : List.of(exchange.getIn().getBody(String.class));
        List<DeploymentStore.Completion> batch = new ArrayList<>(envelopes.size());
        List<JsonNode> parsed = new ArrayList<>(envelopes.size());
        for (Object envelope : envelopes) {
            JsonNode event = mapper.readTree(envelope.toString());
            String deliveryId = event.path("id").asText();
            Deployment deployment = "git.push".equals(event.path("type").asText())
                    ? pending(deliveryId, event.path("data")) : null;
            batch.add(new DeploymentStore.Completion(deliveryId, deployment));
            parsed.add(event);
        }
        Set<String> processed = deployments.completeDeliveries(batch);
        exchange.getIn().setHeader("hubProcessed", processed.size());
        for (int i = 0; i < parsed.size(); i++) {
            if (processed.contains(batch.get(i).deliveryId())) {
                announce(parsed.get(i), batch.get(i).deployment());
            }
        }
    }

    /** webhook_received on the event bus, once the delivery is processed. */
    private void announce(JsonNode event, Deployment deployment) {
        JsonNode data = event.path("data");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("delivery_id", event.path("id").asText());
        d.put("event_type", event.path("type").asText());
        d.put("provider", text(data, "provider"));
        d.put("event", text(data, "event"));
        d.put("branch", text(data, "branch"));
        d.put("tag", text(data, "tag"));
        d.put("commit", text(data, "commitSha"));
        d.put("commit_message", text(data, "commitMessage"));
        d.put("author", text(data, "author"));
        d.put("repository_url", text(data, "repositoryUrl"));
        String compare = text(data, "compareUrl");
        d.put("url", compare != null ? compare : text(data, "repositoryUrl"));
        d.put("status", deployment != null ? "deployment pending" : "processed");
        d.put("deployment_id", deployment != null ? deployment.id() : null);
        String serviceId = text(data, "serviceId");
        events.publish(EventTypes.WEBHOOK_RECEIVED, "service:" + serviceId, text(data, "serviceName"), serviceId,
                null, d);
    }

    private static Deployment pending(String deliveryId, JsonNode data) {
        Instant now = Instant.now();
        return new Deployment(TimeOrderedIds.next(), data.path("serviceId").asText(), deliveryId,
                data.path("provider").asText(), "pending", text(data, "commitSha"), text(data, "branch"),
                text(data, "commitMessage"), text(data, "author"), text(data, "repositoryUrl"),
                text(data, "compareUrl"), now, now);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
