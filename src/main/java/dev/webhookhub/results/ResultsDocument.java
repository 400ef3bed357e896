package dev.webhookhub.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import java.time.Instant;

/**
 * Assembles the pipeline_complete document (product document, version 1.0) from a pipeline's stored reports, in the
 * product document's field order. Stages that never reported are null.
 */
final class ResultsDocument {

    static final String EVENT_TYPE = "pipeline_complete";
    static final String VERSION = "1.0";

    private final ObjectMapper mapper;

    ResultsDocument(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The document as it is if the pipeline completes at {@code now}. start_timestamp is the caller's, else when the
     * first report arrived less that stage's duration; end_timestamp is the caller's, else {@code now}.
     */
    ObjectNode assemble(PipelineRecord p, Instant now) {
        ObjectNode fields = p.fields();
        Instant start = given(fields, "start_timestamp", p.defaultStart());
        Instant end = given(fields, "end_timestamp", null);
        if (end == null) {
            end = now.isBefore(start) ? start : now;
        } else if (end.isBefore(start)) {
            throw ApiError.badRequest("invalid_field", "end_timestamp " + IsoTimes.format(end)
                    + " is before start_timestamp " + IsoTimes.format(start));
        }
        PipelineOutcome outcome = PipelineOutcome.of(p.stages());

        ObjectNode results = mapper.createObjectNode();
        results.put("pipeline_id", p.pipelineId());
        results.set("repository_name", value(fields, "repository_name"));
        results.set("branch_name", value(fields, "branch_name"));
        results.set("pr_number", value(fields, "pr_number"));
        results.put("pipeline_status", outcome.status());
        results.put("start_timestamp", IsoTimes.format(start));
        results.put("end_timestamp", IsoTimes.format(end));
        results.put("total_duration", IsoTimes.seconds(start, end));
        results.put("success_rate", outcome.successRate());
        for (Stage stage : Stage.values()) {
            JsonNode result = p.stages().get(stage);
            results.set(stage.field(), result == null ? mapper.nullNode() : result);
        }
        results.set("resource_metrics", value(fields, "resource_metrics"));
        results.set("trigger_info", value(fields, "trigger_info"));

        ObjectNode doc = mapper.createObjectNode();
        doc.put("event_type", EVENT_TYPE);
        doc.put("timestamp", IsoTimes.format(now));
        doc.put("version", VERSION);
        doc.set("results", results);
        return doc;
    }

    private JsonNode value(ObjectNode fields, String name) {
        JsonNode v = fields.get(name);
        return v == null ? mapper.nullNode() : v;
    }

    private static Instant given(ObjectNode fields, String name, Instant otherwise) {
        JsonNode v = fields.get(name);
        return v == null || !v.isTextual() ? otherwise : IsoTimes.parse(v.textValue()).orElse(otherwise);
    }
}
