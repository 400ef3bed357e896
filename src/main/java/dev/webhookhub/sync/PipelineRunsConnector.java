package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.webhookhub.pipelines.PipelineRun;
import dev.webhookhub.pipelines.PipelineRunStore;
import dev.webhookhub.pipelines.PipelineRunsApi;
import dev.webhookhub.pipelines.PipelineStatus;
import dev.webhookhub.pipelines.RunFilter;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;

/**
 * The pipeline-runs source (routes/connectors/source-pipeline-runs.yaml), bound as {@code syncPipelineRuns}: the
 * hub's own runs, with the filters of {@code GET /api/pipeline-runs} (source, job, status, branch, since), newest
 * first, as the runs API shows them.
 */
public final class PipelineRunsConnector {

    private final PipelineRunStore runs;
    private final PipelineRunsApi views;
    private final ObjectMapper mapper;

    public PipelineRunsConnector(PipelineRunStore runs, ObjectMapper mapper) {
        this.runs = runs;
        this.views = new PipelineRunsApi(mapper, runs);
        this.mapper = mapper;
    }

    public String items(Exchange e) {
        String status = prop(e, "syncStatus");
        if (status != null && !PipelineStatus.isValid(status)) {
            throw new IllegalArgumentException("status must be one of " + PipelineStatus.ALL);
        }
        String hours = prop(e, "syncSinceHours");
        Instant since = hours == null ? null : Instant.now().minus(Duration.ofHours(Long.parseLong(hours)));
        int limit = Integer.parseInt(prop(e, "syncLimit") == null ? "100" : prop(e, "syncLimit"));
        RunFilter filter = new RunFilter(prop(e, "syncSource"), prop(e, "syncJob"), status, prop(e, "syncBranch"),
                since);
        ArrayNode out = mapper.createArrayNode();
        for (PipelineRun r : runs.list(filter, Math.max(1, Math.min(limit, 10_000)), 0).items()) {
            out.add(views.json(r));
        }
        return out.toString();
    }

    private static String prop(Exchange e, String name) {
        String v = e.getProperty(name, String.class);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
