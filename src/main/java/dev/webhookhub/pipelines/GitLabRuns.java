package dev.webhookhub.pipelines;

import static dev.webhookhub.pipelines.JsonFields.between;
import static dev.webhookhub.pipelines.JsonFields.firstText;
import static dev.webhookhub.pipelines.JsonFields.instant;
import static dev.webhookhub.pipelines.JsonFields.number;
import static dev.webhookhub.pipelines.JsonFields.secondsAsMillis;
import static dev.webhookhub.pipelines.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/** GitLab {@code Pipeline Hook} and {@code Job Hook} deliveries as runs (source {@code gitlab}). */
public final class GitLabRuns {

    public static final String SOURCE = "gitlab";

    private GitLabRuns() {
    }

    /** Job the project path, number the pipeline id; the pipeline's jobs ({@code builds[]}) are kept as stages. */
    public static Optional<RunReport> pipeline(JsonNode p) {
        JsonNode a = p.path("object_attributes");
        Long id = number(a, "id");
        String project = firstText(p, new String[] { "project", "path_with_namespace" },
                new String[] { "project", "name" });
        if (id == null || project == null) {
            return Optional.empty();
        }
        Instant created = instant(text(a, "created_at"));
        Long duration = secondsAsMillis(a, "duration");
        JsonNode builds = p.get("builds");
        return Optional.of(new RunReport(SOURCE, project, String.valueOf(id), StatusNormaliser.gitlab(text(a, "status")),
                text(a, "status"), text(a, "url"), created,
                duration != null ? duration : between(created, instant(text(a, "finished_at"))), user(p),
                a.path("tag").asBoolean(false) ? null : text(a, "ref"), text(a, "sha"),
                builds != null && builds.isArray() ? builds.toString() : null));
    }

    /** Job {@code <project path>/<job name>}, number the job id. */
    public static Optional<RunReport> job(JsonNode p) {
        Long id = number(p, "build_id");
        String name = text(p, "build_name");
        String project = firstText(p, new String[] { "project", "path_with_namespace" },
                new String[] { "project_name" });
        if (id == null || name == null || project == null) {
            return Optional.empty();
        }
        Instant started = instant(firstText(p, new String[] { "build_started_at_iso" },
                new String[] { "build_started_at" }));
        Long duration = secondsAsMillis(p, "build_duration");
        return Optional.of(new RunReport(SOURCE, project + "/" + name, String.valueOf(id),
                StatusNormaliser.gitlab(text(p, "build_status")), text(p, "build_status"),
                text(p, "repository", "homepage") == null ? null
                        : text(p, "repository", "homepage") + "/-/jobs/" + id,
                started, duration != null ? duration : between(started, instant(firstText(p,
                        new String[] { "build_finished_at_iso" }, new String[] { "build_finished_at" }))),
                user(p), p.path("tag").asBoolean(false) ? null : text(p, "ref"), text(p, "sha"), null));
    }

    private static String user(JsonNode p) {
        return firstText(p, new String[] { "user", "username" }, new String[] { "user", "name" });
    }
}
