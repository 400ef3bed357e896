package dev.webhookhub.pipelines;

import java.time.Instant;

/** The listing filters of GET /api/pipeline-runs; null means "any". */
public record RunFilter(String source, String job, String status, String branch, Instant since) {
}
