package dev.webhookhub.jenkins;

/** What one Jenkins sync did: runs created, updated and left as they were, jobs read, and the time it took. */
public record SyncResult(int newRuns, int updated, int unchanged, int jobs, long durationMs) {
}
