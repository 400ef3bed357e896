package dev.webhookhub.pipelines;

import java.util.List;

/**
 * The one status vocabulary of pipeline_runs, and the order of a run's phases: a report may move a run forward
 * (queued, running, then a final status) but never back, so a late "started" cannot undo "success".
 */
public final class PipelineStatus {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    public static final String ABORTED = "aborted";
    public static final String UNSTABLE = "unstable";
    public static final String UNKNOWN = "unknown";

    public static final List<String> ALL = List.of(QUEUED, RUNNING, SUCCESS, FAILURE, ABORTED, UNSTABLE, UNKNOWN);

    /** The same ranking as {@link #rank}, as SQL over the {@code status} column. */
    static final String RANK_SQL = "(CASE status WHEN 'queued' THEN 0 WHEN 'unknown' THEN 0 "
            + "WHEN 'running' THEN 1 ELSE 2 END)";

    private PipelineStatus() {
    }

    public static boolean isValid(String status) {
        return ALL.contains(status);
    }

    /** 0 waiting or unknown, 1 running, 2 finished. */
    public static int rank(String status) {
        return switch (status) {
            case QUEUED, UNKNOWN -> 0;
            case RUNNING -> 1;
            default -> 2;
        };
    }

    public static boolean isFinal(String status) {
        return rank(status) == 2;
    }
}
