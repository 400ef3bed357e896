package dev.webhookhub.pipelines;

import static dev.webhookhub.pipelines.JsonFields.between;
import static dev.webhookhub.pipelines.JsonFields.firstText;
import static dev.webhookhub.pipelines.JsonFields.instant;
import static dev.webhookhub.pipelines.JsonFields.number;
import static dev.webhookhub.pipelines.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/** GitHub Actions {@code workflow_run} and {@code check_run} deliveries as runs (source {@code github}). */
public final class GitHubRuns {

    public static final String SOURCE = "github";

    private GitHubRuns() {
    }

    /** Job {@code <owner/repo>/<workflow name>}, number the run number ({@code <n>.<attempt>} for re-runs). */
    public static Optional<RunReport> workflowRun(JsonNode p) {
        JsonNode run = p.path("workflow_run");
        Long runNumber = number(run, "run_number");
        String workflow = firstText(p, new String[] { "workflow_run", "name" }, new String[] { "workflow", "name" },
                new String[] { "workflow_run", "path" });
        if (runNumber == null || workflow == null) {
            return Optional.empty();
        }
        Long attempt = number(run, "run_attempt");
        String status = StatusNormaliser.github(text(run, "status"), text(run, "conclusion"));
        Instant started = instant(firstText(run, new String[] { "run_started_at" }, new String[] { "created_at" }));
        return Optional.of(new RunReport(SOURCE, job(p, workflow),
                attempt != null && attempt > 1 ? runNumber + "." + attempt : String.valueOf(runNumber), status,
                firstText(run, new String[] { "conclusion" }, new String[] { "status" }), text(run, "html_url"),
                started, PipelineStatus.isFinal(status) ? between(started, instant(text(run, "updated_at"))) : null,
                firstText(run, new String[] { "triggering_actor", "login" }, new String[] { "actor", "login" }),
                text(run, "head_branch"), text(run, "head_sha"), null));
    }

    /** Job {@code <owner/repo>/<check name>}, number the check run id. */
    public static Optional<RunReport> checkRun(JsonNode p) {
        JsonNode run = p.path("check_run");
        Long id = number(run, "id");
        String name = text(run, "name");
        if (id == null || name == null) {
            return Optional.empty();
        }
        String status = StatusNormaliser.github(text(run, "status"), text(run, "conclusion"));
        Instant started = instant(text(run, "started_at"));
        return Optional.of(new RunReport(SOURCE, job(p, name), String.valueOf(id), status,
                firstText(run, new String[] { "conclusion" }, new String[] { "status" }),
                firstText(run, new String[] { "html_url" }, new String[] { "details_url" }), started,
                between(started, instant(text(run, "completed_at"))), text(p, "sender", "login"),
                text(run, "check_suite", "head_branch"), text(run, "head_sha"), null));
    }

    private static String job(JsonNode p, String name) {
        String repo = text(p, "repository", "full_name");
        return repo == null ? name : repo + "/" + name;
    }
}
