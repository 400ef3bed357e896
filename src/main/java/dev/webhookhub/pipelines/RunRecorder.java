package dev.webhookhub.pipelines;

import dev.webhookhub.deliveries.DeliveryCommit;
import dev.webhookhub.deliveries.ReceivedDelivery;
import dev.webhookhub.deliveries.DeliveryStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The record step of the CI receivers that report a run (Jenkins, FoundriesFactory): upserts the run parsed by the
 * route's parse step ({@link #RUN}) and commits the delivery row as processed into it, before the answer; the
 * outcome goes to {@link #OUTCOME} for {@link RunResponder}. Nothing is queued: the answer carries the run's id, and
 * the run's events go out from the pipeline_runs table (routes/pipeline-run-events.yaml).
 */
public final class RunRecorder implements Processor {

    public static final String RUN = "hubRun";
    public static final String OUTCOME = "hubRunOutcome";

    private final PipelineRunStore runs;
    private final DeliveryCommit commit;

    public RunRecorder(PipelineRunStore runs, DeliveryCommit commit) {
        this.runs = runs;
        this.commit = commit;
    }

    @Override
    public void process(Exchange exchange) {
        ReceivedDelivery delivery = exchange.getProperty(ReceivedDelivery.PROPERTY, ReceivedDelivery.class);
        UpsertOutcome outcome = runs.upsert(exchange.getProperty(RUN, RunReport.class));
        delivery.decide(DeliveryStatus.PROCESSED, null, null);
        commit.await(delivery.toRecord(202, null, commit.payloadCap()));
        exchange.setProperty(OUTCOME, outcome);
    }
}
