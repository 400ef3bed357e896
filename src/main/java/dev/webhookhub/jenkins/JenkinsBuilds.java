package dev.webhookhub.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.pipelines.JsonFields;
import dev.webhookhub.pipelines.PipelineStatus;
import dev.webhookhub.pipelines.RunReport;
import dev.webhookhub.pipelines.StatusNormaliser;
import java.time.Instant;
import java.util.Optional;

/** One build of the remote API's {@code builds[...]} as a run: running while building or without a result. */
public final class JenkinsBuilds {

    private JenkinsBuilds() {
    }

    public static Optional<RunReport> toRun(String job, JsonNode build) {
        JsonNode number = build.get("number");
        if (number == null || !number.isIntegralNumber()) {
            return Optional.empty();
        }
        boolean building = build.path("building").asBoolean(false);
        String result = JsonFields.text(build, "result");
        String status = StatusNormaliser.jenkinsResult(result, building);
        Long timestamp = JsonFields.number(build, "timestamp");
        Long duration = JsonFields.number(build, "duration");
        return Optional.of(new RunReport(JenkinsNotifications.SOURCE, job, number.asText(), status,
                result != null ? result : building ? "BUILDING" : null, JsonFields.text(build, "url"),
                timestamp == null || timestamp <= 0 ? null : Instant.ofEpochMilli(timestamp),
                duration == null || duration <= 0 || !PipelineStatus.isFinal(status) ? null : duration,
                cause(build), branch(build), JsonFields.text(revision(build), "SHA1"), null));
    }

    /** The user of the first user cause ({@code actions[].causes[].userName/userId}). */
    private static String cause(JsonNode build) {
        for (JsonNode action : build.path("actions")) {
            for (JsonNode cause : action.path("causes")) {
                String user = JsonFields.firstText(cause, new String[] { "userName" }, new String[] { "userId" });
                if (user != null) {
                    return user;
                }
            }
        }
        return null;
    }

    private static JsonNode revision(JsonNode build) {
        for (JsonNode action : build.path("actions")) {
            if (action.path("lastBuiltRevision").isObject()) {
                return action.get("lastBuiltRevision");
            }
        }
        return null;
    }

    private static String branch(JsonNode build) {
        JsonNode revision = revision(build);
        JsonNode branches = revision == null ? null : revision.get("branch");
        return branches != null && branches.isArray() && !branches.isEmpty()
                ? JsonFields.shortRef(JsonFields.text(branches.get(0), "name")) : null;
    }
}
