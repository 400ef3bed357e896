package dev.webhookhub.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.events.EventTypes;
import dev.webhookhub.outbound.OutboundPublisher;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the events of pipeline runs whose status changed (routes/pipeline-run-events.yaml calls
 * {@link #raiseDue} on a timer): build_started when a run starts running; when it reaches a final status,
 * build_completed or build_failed on the bus and a {@code build.completed} outbound message in the FoundriesFactory
 * format. The outbound message is in the outbox before the run is marked, so a crash in between repeats it (at
 * least once) rather than losing it.
 */
public final class RunEvents {

    private static final Logger LOG = LoggerFactory.getLogger(RunEvents.class);

    private final PipelineRunStore runs;
    private final OutboundPublisher outbound;
    private final EventBus bus;
    private final ObjectMapper mapper;
    private final int batchSize;

    public RunEvents(PipelineRunStore runs, OutboundPublisher outbound, EventBus bus, ObjectMapper mapper,
            int batchSize) {
        this.runs = runs;
        this.outbound = outbound;
        this.bus = bus;
        this.mapper = mapper;
        this.batchSize = batchSize;
    }

    /** Returns how many runs were looked at. */
    public int raiseDue() {
        int n = 0;
        for (PipelineRunStore.EventsDue due : runs.eventsDue(batchSize)) {
            raise(due.run(), due.eventsStatus());
            runs.eventsRaised(due.run(), due.run().status());
            n++;
        }
        return n;
    }

    private void raise(PipelineRun run, String before) {
        String status = run.status();
        int was = before == null ? 0 : PipelineStatus.rank(before);
        int now = PipelineStatus.rank(status);
        if (now == 1 && was == 0) {
            bus.publish(EventTypes.BUILD_STARTED, subjectKey(run), run.job(), null, null, data(run));
        } else if (now == 2 && was < 2) {
            outbound.publish(BuildCompletedPayload.EVENT_TYPE, BuildCompletedPayload.of(mapper, run).toString());
            bus.publish(PipelineStatus.SUCCESS.equals(status) ? EventTypes.BUILD_COMPLETED : EventTypes.BUILD_FAILED,
                    subjectKey(run), run.job(), null, null, data(run));
            LOG.debug("run {} {} #{} finished {}: events raised", run.source(), run.job(), run.number(), status);
        }
    }

    private static String subjectKey(PipelineRun run) {
        return "pipeline:" + run.source() + "/" + run.job();
    }

    private static Map<String, Object> data(PipelineRun run) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("run_id", run.id());
        d.put("source", run.source());
        d.put("job", run.job());
        d.put("number", run.number());
        d.put("status", run.status());
        d.put("url", run.url());
        d.put("branch", run.branch());
        d.put("commit", run.commitSha());
        d.put("triggered_by", run.triggeredBy());
        d.put("started_at", run.startedAt() == null ? null : run.startedAt().toString());
        d.put("duration_ms", run.durationMs());
        return d;
    }
}
