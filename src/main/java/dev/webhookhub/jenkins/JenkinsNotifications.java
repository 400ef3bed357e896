package dev.webhookhub.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.pipelines.JsonFields;
import dev.webhookhub.pipelines.RunReport;
import dev.webhookhub.pipelines.StatusNormaliser;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads the two Jenkins webhook bodies the hub accepts: the product document's
 * {@code {"build":{"full_url","number","status","timestamp","duration"}}} and the Notification plugin's
 * {@code {"name","url","build":{"full_url","number","phase","status","timestamp","duration","scm",...}}}.
 */
public final class JenkinsNotifications {

    public static final String SOURCE = "jenkins";

    private JenkinsNotifications() {
    }

    /** The run the body reports; throws {@link IllegalArgumentException} naming what is missing or wrong. */
    public static RunReport parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the payload must be a JSON object");
        }
        JsonNode build = body.get("build");
        if (build == null || !build.isObject()) {
            throw new IllegalArgumentException("build (an object) is required");
        }
        JsonNode numberNode = build.get("number");
        if (numberNode == null || !(numberNode.isIntegralNumber()
                || numberNode.isTextual() && numberNode.asText().matches("\\d{1,18}"))) {
            throw new IllegalArgumentException("build.number (a whole number) is required");
        }
        String fullUrl = JsonFields.text(build, "full_url");
        String job = Optional.ofNullable(JenkinsJobNames.fromUrl(fullUrl))
                .or(() -> Optional.ofNullable(JenkinsJobNames.fromUrl(JsonFields.text(body, "url"))))
                .or(() -> Optional.ofNullable(JenkinsJobNames.fromUrl(JsonFields.text(build, "url"))))
                .or(() -> Optional.ofNullable(JsonFields.text(body, "name")))
                .orElseThrow(() -> new IllegalArgumentException(
                        "the job is unknown: build.full_url (.../job/<name>/<number>/) or name is required"));
        String phase = JsonFields.text(build, "phase");
        String result = JsonFields.text(build, "status");
        String status = StatusNormaliser.jenkinsPhase(phase, result);
        Long timestamp = JsonFields.number(build, "timestamp");
        Long duration = JsonFields.number(build, "duration");
        JsonNode scm = build.path("scm");
        return new RunReport(SOURCE, job, numberNode.asText(), status, result != null ? result : phase, fullUrl,
                timestamp == null || timestamp <= 0 ? null : Instant.ofEpochMilli(timestamp),
                duration == null || duration <= 0 || !dev.webhookhub.pipelines.PipelineStatus.isFinal(status) ? null
                        : duration,
                triggeredBy(build), JsonFields.shortRef(JsonFields.text(scm, "branch")),
                JsonFields.text(scm, "commit"), null);
    }

    /** The Notification plugin has no cause field; a user given as a build parameter is taken when present. */
    private static String triggeredBy(JsonNode build) {
        JsonNode parameters = build.path("parameters");
        for (String key : new String[] { "BUILD_USER_ID", "BUILD_USER", "TRIGGERED_BY" }) {
            String v = JsonFields.text(parameters, key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
