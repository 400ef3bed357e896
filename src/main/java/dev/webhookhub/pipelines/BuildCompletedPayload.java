package dev.webhookhub.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The body of a {@code build.completed} outbound event, in the FoundriesFactory (JobServ) CI webhook format:
 * build_id, url, status (PASSED / FAILED), runs[] (name, url, status, log_url, web_url, created, completed),
 * web_url, trigger_name, created, completed. Hub fields that format lacks (source, job, the hub's own status,
 * branch, commit) follow under their own names; receivers written for JobServ ignore them.
 */
public final class BuildCompletedPayload {

    public static final String EVENT_TYPE = "build.completed";
    /** JobServ's timestamp form: {@code 2021-07-26T18:10:33+00:00}. */
    private static final DateTimeFormatter JOBSERV_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")
            .withZone(ZoneOffset.UTC);

    private BuildCompletedPayload() {
    }

    public static ObjectNode of(ObjectMapper mapper, PipelineRun run) {
        ObjectNode n = mapper.createObjectNode();
        if (run.number().matches("\\d{1,18}")) {
            n.put("build_id", Long.parseLong(run.number()));
        } else {
            n.put("build_id", run.number());
        }
        n.put("url", run.url());
        n.put("status", jobServStatus(run.status()));
        n.set("runs", runs(mapper, run));
        n.put("web_url", run.url());
        n.put("trigger_name", run.job());
        Instant created = run.startedAt() != null ? run.startedAt() : run.createdAt();
        n.put("created", time(created));
        n.put("completed", time(completed(run, created)));
        n.put("source", run.source());
        n.put("job", run.job());
        n.put("hub_status", run.status());
        n.put("raw_status", run.rawStatus());
        n.put("branch", run.branch());
        n.put("commit_sha", run.commitSha());
        n.put("triggered_by", run.triggeredBy());
        if (run.durationMs() != null) {
            n.put("duration_seconds", run.durationMs() / 1000.0);
        }
        n.put("pipeline_run_id", run.id());
        return n;
    }

    /** success becomes PASSED; every other final status FAILED (the hub's own word is in hub_status). */
    static String jobServStatus(String status) {
        return PipelineStatus.SUCCESS.equals(status) ? "PASSED" : "FAILED";
    }

    private static Instant completed(PipelineRun run, Instant created) {
        if (created != null && run.durationMs() != null) {
            return created.plusMillis(run.durationMs());
        }
        return run.updatedAt();
    }

    /** The run's stages as JobServ runs: FoundriesFactory runs as they came, other sources' jobs mapped. */
    private static ArrayNode runs(ObjectMapper mapper, PipelineRun run) {
        ArrayNode runs = mapper.createArrayNode();
        if (run.stagesJson() == null) {
            return runs;
        }
        JsonNode stages;
        try {
            stages = mapper.readTree(run.stagesJson());
        } catch (Exception e) {
            return runs;
        }
        if (!stages.isArray()) {
            return runs;
        }
        for (JsonNode s : stages) {
            if (FoundriesRuns.SOURCE.equals(run.source())) {
                runs.add(s);
                continue;
            }
            ObjectNode r = runs.addObject();
            r.put("name", JsonFields.firstText(s, new String[] { "name" }, new String[] { "stage" }));
            String status = JsonFields.firstText(s, new String[] { "status" }, new String[] { "result" });
            r.put("status", status == null ? null : status.toUpperCase(Locale.ROOT));
            r.put("url", JsonFields.firstText(s, new String[] { "url" }, new String[] { "web_url" }));
            r.put("created", JsonFields.firstText(s, new String[] { "created_at" }, new String[] { "started_at" }));
            r.put("completed", JsonFields.text(s, "finished_at"));
        }
        return runs;
    }

    private static String time(Instant t) {
        return t == null ? null : JOBSERV_TIME.format(t);
    }
}
