package dev.webhookhub.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.deliveries.DeliveryEvent;
import dev.webhookhub.deliveries.DeliveryPayloads;
import dev.webhookhub.store.DeploymentStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works CI events that arrived through the verified Git receivers off the queue: GitHub workflow and check runs,
 * GitLab pipelines and jobs, Azure DevOps completed builds become pipeline runs. The typed event carries the payload the
 * receiver parsed; only an event recovered from the store (after a restart) reads its raw payload back. The delivery is then marked processed as the Git worker does
 * (no deployment); the upsert is idempotent, so a delivery queued twice still makes one run.
 */
public final class PipelineEventWorker implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineEventWorker.class);

    private static final Map<String, Function<JsonNode, Optional<RunReport>>> PARSERS = Map.of(
            "github.workflow_run", GitHubRuns::workflowRun,
            "github.check_run", GitHubRuns::checkRun,
            "gitlab.pipeline", GitLabRuns::pipeline,
            "gitlab.job", GitLabRuns::job,
            "azure-devops.build.complete", AzureDevOpsRuns::buildComplete);

    private final ObjectMapper mapper;
    private final DeliveryPayloads payloads;
    private final PipelineRunStore runs;
    private final DeploymentStore deliveries;

    public PipelineEventWorker(ObjectMapper mapper, DeliveryPayloads payloads, PipelineRunStore runs,
            DeploymentStore deliveries) {
        this.mapper = mapper;
        this.payloads = payloads;
        this.runs = runs;
        this.deliveries = deliveries;
    }

    /** Whether events of this type are CI events this worker takes (the worker routes' {@code ciRunEvent}). */
    static boolean handlesType(String type) {
        return PARSERS.containsKey(type);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        DeliveryEvent event = DeliveryEvent.of(exchange.getIn().getBody());
        String deliveryId = event.id();
        Function<JsonNode, Optional<RunReport>> parser = PARSERS.get(event.type());
        // parsed once by the receiver; an event recovered from the store reads the stored body
        Optional<JsonNode> payload = event.payload() != null ? Optional.of(event.payload())
                : payloads.json(deliveryId).map(this::parse);
        if (parser != null && payload.isPresent()) {
            Optional<RunReport> report = parser.apply(payload.get());
            report.ifPresentOrElse(r -> {
                UpsertOutcome outcome = runs.upsert(r);
                exchange.getIn().setHeader("hubRunId", outcome.runId());
            }, () -> LOG.info("delivery {} ({}) names no run; nothing to record", deliveryId, event.type()));
        }
        boolean processed = deliveries.completeDelivery(deliveryId, null);
        exchange.getIn().setHeader("hubDeliveryId", deliveryId);
        exchange.getIn().setHeader("hubProcessed", processed);
    }

    private JsonNode parse(byte[] json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored payload is not JSON", e);
        }
    }
}
