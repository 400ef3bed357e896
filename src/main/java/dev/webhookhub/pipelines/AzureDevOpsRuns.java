package dev.webhookhub.pipelines;

import static dev.webhookhub.pipelines.JsonFields.between;
import static dev.webhookhub.pipelines.JsonFields.firstText;
import static dev.webhookhub.pipelines.JsonFields.instant;
import static dev.webhookhub.pipelines.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/** Azure DevOps {@code build.complete} service hook events as runs (source {@code azure-devops}). */
public final class AzureDevOpsRuns {

    public static final String SOURCE = "azure-devops";

    private AzureDevOpsRuns() {
    }

    /** Job the build definition's name, number the build number (the build id when there is none). */
    public static Optional<RunReport> buildComplete(JsonNode p) {
        JsonNode b = p.path("resource");
        String definition = text(b, "definition", "name");
        String number = firstText(b, new String[] { "buildNumber" }, new String[] { "id" });
        if (definition == null || number == null) {
            return Optional.empty();
        }
        String status = text(b, "status");
        String result = text(b, "result");
        Instant started = instant(text(b, "startTime"));
        // the older payloads say "LG:refs/heads/<branch>:<sha>" in sourceGetVersion
        String branch = JsonFields.shortRef(text(b, "sourceBranch"));
        String sha = text(b, "sourceVersion");
        String getVersion = text(b, "sourceGetVersion");
        if (getVersion != null && getVersion.startsWith("LG:")) {
            int last = getVersion.lastIndexOf(':');
            if (last > 3) {
                branch = branch != null ? branch : JsonFields.shortRef(getVersion.substring(3, last));
                sha = sha != null ? sha : getVersion.substring(last + 1);
            }
        }
        JsonNode requests = b.path("requests");
        String requestedFor = requests.isArray() && !requests.isEmpty()
                ? text(requests.get(0), "requestedFor", "displayName") : null;
        return Optional.of(new RunReport(SOURCE, definition, number, StatusNormaliser.azureDevOps(status, result),
                result != null ? result : status,
                firstText(b, new String[] { "_links", "web", "href" }, new String[] { "url" }), started,
                between(started, instant(text(b, "finishTime"))),
                text(b, "requestedFor", "displayName") != null ? text(b, "requestedFor", "displayName")
                        : requestedFor,
                branch, sha, null));
    }
}
