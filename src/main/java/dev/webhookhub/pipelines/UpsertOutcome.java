package dev.webhookhub.pipelines;

/** What an upsert did to the run's row, and the row's id. */
public record UpsertOutcome(Kind kind, String runId) {

    public enum Kind { NEW, UPDATED, UNCHANGED }
}
