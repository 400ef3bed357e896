package dev.webhookhub.sync;

import java.time.Instant;
import java.util.List;

/** One row of the job queue. {@code runs} counts the starts (a job interrupted by a stop runs again once). */
public record SyncJob(
        String id,
        String type,
        String configId,
        String trigger,
        String status,
        boolean dryRun,
        List<String> workItemIds,
        int runs,
        String executionId,
        String result,
        String error,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt) {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String INTERRUPTED = "interrupted";
}
