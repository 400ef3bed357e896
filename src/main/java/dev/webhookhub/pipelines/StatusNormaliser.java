package dev.webhookhub.pipelines;

import static dev.webhookhub.pipelines.PipelineStatus.ABORTED;
import static dev.webhookhub.pipelines.PipelineStatus.FAILURE;
import static dev.webhookhub.pipelines.PipelineStatus.QUEUED;
import static dev.webhookhub.pipelines.PipelineStatus.RUNNING;
import static dev.webhookhub.pipelines.PipelineStatus.SUCCESS;
import static dev.webhookhub.pipelines.PipelineStatus.UNKNOWN;
import static dev.webhookhub.pipelines.PipelineStatus.UNSTABLE;

import java.util.Locale;

/** Maps each CI source's own status words onto the {@link PipelineStatus} vocabulary. */
public final class StatusNormaliser {

    private StatusNormaliser() {
    }

    /** A Jenkins {@code Result} (SUCCESS, FAILURE, ABORTED, UNSTABLE, NOT_BUILT); null while the build runs. */
    public static String jenkinsResult(String result, boolean building) {
        if (building || result == null || result.isBlank()) {
            return RUNNING;
        }
        return switch (upper(result)) {
            case "SUCCESS" -> SUCCESS;
            case "FAILURE" -> FAILURE;
            case "ABORTED", "NOT_BUILT" -> ABORTED;
            case "UNSTABLE" -> UNSTABLE;
            default -> UNKNOWN;
        };
    }

    /** A Jenkins Notification plugin phase (QUEUED, STARTED, COMPLETED, FINALIZED) with the build's result. */
    public static String jenkinsPhase(String phase, String result) {
        if (phase == null || phase.isBlank()) {
            return jenkinsResult(result, false);
        }
        return switch (upper(phase)) {
            case "QUEUED" -> QUEUED;
            case "STARTED" -> result == null || result.isBlank() ? RUNNING : jenkinsResult(result, false);
            case "COMPLETED", "FINALIZED" -> result == null || result.isBlank() ? UNKNOWN : jenkinsResult(result, false);
            default -> UNKNOWN;
        };
    }

    /** GitHub Actions workflow runs and check runs: {@code status} and, once completed, {@code conclusion}. */
    public static String github(String status, String conclusion) {
        if (conclusion != null && !conclusion.isBlank()) {
            return switch (lower(conclusion)) {
                case "success", "neutral" -> SUCCESS;
                case "failure", "timed_out", "startup_failure" -> FAILURE;
                case "cancelled", "skipped", "stale" -> ABORTED;
                default -> UNKNOWN;
            };
        }
        if (status == null) {
            return UNKNOWN;
        }
        return switch (lower(status)) {
            case "queued", "requested", "waiting", "pending" -> QUEUED;
            case "in_progress" -> RUNNING;
            default -> UNKNOWN;
        };
    }

    /** GitLab pipeline and job statuses. */
    public static String gitlab(String status) {
        if (status == null) {
            return UNKNOWN;
        }
        return switch (lower(status)) {
            case "created", "waiting_for_resource", "preparing", "pending", "scheduled", "manual",
                    "waiting_for_callback" -> QUEUED;
            case "running", "canceling" -> RUNNING;
            case "success" -> SUCCESS;
            case "failed" -> FAILURE;
            case "canceled", "cancelled", "skipped" -> ABORTED;
            default -> UNKNOWN;
        };
    }

    /** Azure DevOps builds: {@code result} once completed, else {@code status}. */
    public static String azureDevOps(String status, String result) {
        String word = result != null && !result.isBlank() ? result : status;
        if (word == null) {
            return UNKNOWN;
        }
        return switch (lower(word)) {
            case "succeeded" -> SUCCESS;
            case "partiallysucceeded" -> UNSTABLE;
            case "failed" -> FAILURE;
            case "canceled", "cancelled", "stopped" -> ABORTED;
            case "inprogress", "cancelling" -> RUNNING;
            case "notstarted", "postponed" -> QUEUED;
            default -> UNKNOWN;
        };
    }

    /** FoundriesFactory (JobServ) build statuses. */
    public static String foundries(String status) {
        if (status == null) {
            return UNKNOWN;
        }
        return switch (upper(status)) {
            case "QUEUED" -> QUEUED;
            case "RUNNING", "RUNNING_WITH_FAILURES", "UPLOADING", "CANCELLING" -> RUNNING;
            case "PASSED", "PROMOTED" -> SUCCESS;
            case "FAILED" -> FAILURE;
            default -> UNKNOWN;
        };
    }

    private static String upper(String s) {
        return s.trim().toUpperCase(Locale.ROOT);
    }

    private static String lower(String s) {
        return s.trim().toLowerCase(Locale.ROOT);
    }
}
