package dev.webhookhub.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.store.Deployment;
import dev.webhookhub.store.DeploymentStore;
import java.time.Instant;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Works one accepted delivery off the queue: a push to the service's branch becomes a pending deployment; any other
 * event is marked processed. Both happen in one transaction guarded by the delivery's status, so a delivery that is
 * queued twice (recovery after a crash) is still processed once. Sets header {@code hubProcessed} to whether this
 * call did the work.
 */
public final class GitEventWorker implements Processor {

    private final ObjectMapper mapper;
    private final DeploymentStore deployments;

    public GitEventWorker(ObjectMapper mapper, DeploymentStore deployments) {
        this.mapper = mapper;
        this.deployments = deployments;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        JsonNode event = mapper.readTree(exchange.getIn().getBody(String.class));
        String deliveryId = event.path("id").asText();
        Deployment deployment = "git.push".equals(event.path("type").asText()) ? pending(deliveryId, event.path("data"))
                : null;
        boolean processed = deployments.completeDelivery(deliveryId, deployment);
        exchange.getIn().setHeader("hubDeliveryId", deliveryId);
        exchange.getIn().setHeader("hubProcessed", processed);
    }

    private static Deployment pending(String deliveryId, JsonNode data) {
        Instant now = Instant.now();
        return new Deployment(UUID.randomUUID().toString(), data.path("serviceId").asText(), deliveryId,
                data.path("provider").asText(), "pending", text(data, "commitSha"), text(data, "branch"),
                text(data, "commitMessage"), text(data, "author"), text(data, "repositoryUrl"),
                text(data, "compareUrl"), now, now);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
