package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished sync jobs and executions older than {@code hub.retention.days}, {@code hub.retention.batch-size}
 * rows at a time (routes/sync-upkeep.yaml runs it on a timer). Bound as {@code syncRetention}.
 */
public final class SyncRetention {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRetention.class);
    private static final int MAX_BATCHES_PER_RUN = 100;

    private final SyncJobStore jobs;
    private final SyncExecutionStore executions;
    private final ObjectMapper mapper;
    private final int days;
    private final int batch;
    private final Clock clock;

    SyncRetention(SyncJobStore jobs, SyncExecutionStore executions, ObjectMapper mapper, int days, int batch,
            Clock clock) {
        this.jobs = jobs;
        this.executions = executions;
        this.mapper = mapper;
        this.days = days;
        this.batch = batch;
        this.clock = clock;
    }

    /** One pass; returns the rows deleted. */
    public synchronized long run() {
        if (days <= 0) {
            return 0; // 0: kept forever, as for deliveries
        }
        Instant cutoff = clock.instant().minus(Duration.ofDays(days));
        long deleted = 0;
        for (int i = 0; i < MAX_BATCHES_PER_RUN; i++) {
            int n = jobs.deleteFinishedBefore(cutoff, batch);
            n += jobs.deleteIds("sync_executions", executions.finishedBefore(cutoff, batch));
            deleted += n;
            if (n == 0) {
                break;
            }
        }
        jobs.retentionRan(clock.instant(), deleted);
        if (deleted > 0) {
            LOG.info("retention: deleted {} sync jobs and executions older than {} days", deleted, days);
        }
        return deleted;
    }

    ObjectNode view() {
        ObjectNode n = mapper.createObjectNode();
        n.put("days", days);
        n.put("batchSize", batch);
        Object[] state = jobs.retention();
        n.put("lastRunAt", state[0] == null ? null : state[0].toString());
        n.put("deletedTotal", (Long) state[1]);
        return n;
    }
}
