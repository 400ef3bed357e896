package dev.webhookhub.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the body of a stage report or completion call: a piece of the document's {@code results} object, i.e. the
 * stage's {@code <stage>_results} and any pipeline-level fields. Timestamps are normalised to UTC with milliseconds;
 * every other type check is the schema's.
 */
final class ReportFields {

    /** Pipeline-level fields a caller may give on any call; later calls override earlier values. */
    static final List<String> PIPELINE_FIELDS = List.of("repository_name", "branch_name", "pr_number",
            "start_timestamp", "end_timestamp", "trigger_info", "resource_metrics");
    static final List<String> TIMESTAMPS = List.of("start_timestamp", "end_timestamp");
    /** Fields of the document the hub computes itself. */
    static final Set<String> COMPUTED = Set.of("pipeline_id", "pipeline_status", "total_duration", "success_rate");

    private ReportFields() {
    }

    /**
     * The pipeline-level fields of {@code body}, normalised. {@code stage} is the only stage result the body may
     * carry (null: none, as on completion).
     */
    static ObjectNode pipelineFields(ObjectNode body, Stage stage) {
        ObjectNode out = body.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (stage != null && name.equals(stage.field())) {
                continue;
            }
            if (PIPELINE_FIELDS.contains(name)) {
                out.set(name, TIMESTAMPS.contains(name) ? timestamp(name, e.getValue()) : e.getValue());
            } else if (Stage.ofField(name).isPresent()) {
                Stage other = Stage.ofField(name).get();
                throw ApiError.badRequest("wrong_stage", name + " is reported with POST /api/pipelines/{id}/stages/"
                        + other.path() + (stage == null ? "" : ", not with the " + stage.path() + " stage"));
            } else if (COMPUTED.contains(name)) {
                throw ApiError.badRequest("unknown_field", name + " is computed by the hub and cannot be given");
            } else {
                throw ApiError.badRequest("unknown_field", "unknown field '" + name + "'; a report carries "
                        + (stage == null ? "" : stage.field() + " and ") + "any of " + PIPELINE_FIELDS);
            }
        }
        return out;
    }

    /** The stage's result from a stage report body: required, and an object. */
    static JsonNode stageResult(ObjectNode body, Stage stage) {
        JsonNode result = body.get(stage.field());
        if (result == null) {
            throw ApiError.badRequest("missing_field", "the body must carry " + stage.field()
                    + " (an object with at least \"success\": true|false)");
        }
        if (!result.isObject()) {
            throw ApiError.badRequest("invalid_field", stage.field() + " must be an object");
        }
        return result;
    }

    private static JsonNode timestamp(String name, JsonNode value) {
        if (value.isNull()) {
            return value;
        }
        return IsoTimes.parse(value.isTextual() ? value.textValue() : null)
                .map(t -> (JsonNode) JsonNodeFactory.instance.textNode(IsoTimes.format(t)))
                .orElseThrow(() -> ApiError.badRequest("invalid_field", name
                        + " must be an ISO-8601 time with a zone, such as 2025-08-24T10:28:30.000Z"));
    }
}
