package dev.webhookhub.pipelines;

import dev.webhookhub.store.StoredText;
import java.time.Instant;

/**
 * What one source says about one run at one moment. {@code status} is in the {@link PipelineStatus} vocabulary and
 * {@code rawStatus} is the source's own word for it; every other field may be null when the source does not say.
 */
public record RunReport(
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
        String stagesJson) {

    public RunReport {
        if (source == null || source.isBlank() || job == null || job.isBlank() || number == null || number.isBlank()) {
            throw new IllegalArgumentException("a run needs a source, a job and a number");
        }
        if (!PipelineStatus.isValid(status)) {
            throw new IllegalArgumentException("not a pipeline status: " + status);
        }
        job = cap(job, 500);
        number = cap(number, 100);
        rawStatus = cap(rawStatus, 64);
        url = cap(url, 2000);
        triggeredBy = cap(triggeredBy, 255);
        branch = cap(branch, 255);
        commitSha = cap(commitSha, 64);
    }

    private static String cap(String value, int max) {
        return StoredText.fit(value, max);
    }
}
