package dev.webhookhub.sync;

import java.time.Instant;

/** One run of a sync config: totals, the (capped) per-item results as JSON, and the error that ended it. */
public record SyncExecution(
        String id,
        String configId,
        String jobId,
        String trigger,
        String status,
        boolean dryRun,
        int total,
        int created,
        int updated,
        int unchanged,
        int errors,
        String items,
        String error,
        Instant startedAt,
        Instant completedAt,
        Long durationMs) {

    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
}
