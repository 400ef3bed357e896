package dev.webhookhub.jenkins;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import dev.webhookhub.api.Requests;
import java.time.Duration;
import org.apache.camel.Exchange;

/**
 * {@code POST /api/jenkins/sync-now}: the poller's sync, at once (after a running pass, if any, finishes), answered
 * with {@code {new, updated, unchanged, jobs, durationMs}}. 409 when no Jenkins is configured or a pass keeps the
 * lock too long, 503 when Jenkins cannot be read.
 */
public final class JenkinsSyncApi {

    private final ObjectMapper mapper;
    private final JenkinsSync sync;
    private final Duration wait;

    public JenkinsSyncApi(ObjectMapper mapper, JenkinsSync sync, Duration wait) {
        this.mapper = mapper;
        this.sync = sync;
        this.wait = wait;
    }

    public void syncNow(Exchange exchange) throws InterruptedException {
        if (!sync.configured()) {
            throw new ApiError(409, "jenkins_not_configured",
                    "no Jenkins is configured: set JENKINS_URL (and JENKINS_USER, JENKINS_API_TOKEN)");
        }
        SyncResult r;
        try {
            r = sync.syncWaiting(wait).orElseThrow(() -> new ApiError(409, "sync_in_progress",
                    "a Jenkins sync is still running; try again shortly"));
        } catch (JenkinsUnavailableException e) {
            throw new ApiError(503, "jenkins_unavailable", e.getMessage());
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("new", r.newRuns());
        out.put("updated", r.updated());
        out.put("unchanged", r.unchanged());
        out.put("jobs", r.jobs());
        out.put("durationMs", r.durationMs());
        Requests.respond(exchange, 200, out, mapper);
    }
}
