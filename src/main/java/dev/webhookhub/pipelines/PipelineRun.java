package dev.webhookhub.pipelines;

import java.time.Instant;

/** One row of pipeline_runs. */
public record PipelineRun(
        String id,
        String source,
        String job,
        String number,
        String status,
        String rawStatus,
        String url,
        Instant startedAt,
        Long durationMs,
        String triggeredBy,
        String branch,
        String commitSha,
        String stagesJson,
        Instant createdAt,
        Instant updatedAt) {
}
