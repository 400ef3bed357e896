package dev.webhookhub.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One pipeline_results row: the stages reported so far, the pipeline-level fields callers gave (repository_name,
 * timestamps, trigger_info, ...), and, once completed, the document that was published.
 */
record PipelineRecord(
        String pipelineId,
        String state,
        ObjectNode fields,
        Map<Stage, JsonNode> stages,
        Instant defaultStart,
        Instant createdAt,
        Instant updatedAt,
        Instant completedAt,
        String pipelineStatus,
        String document) {

    static final String OPEN = "open";
    static final String COMPLETED = "completed";

    PipelineRecord {
        stages = Collections.unmodifiableMap(stages.isEmpty() ? new EnumMap<>(Stage.class) : new EnumMap<>(stages));
    }

    static PipelineRecord open(String pipelineId, ObjectNode emptyFields, Instant defaultStart, Instant now) {
        return new PipelineRecord(pipelineId, OPEN, emptyFields, Map.of(), defaultStart, now, now, null, null, null);
    }

    boolean completed() {
        return COMPLETED.equals(state);
    }

    boolean hasAllStages() {
        return stages.size() == Stage.values().length;
    }

    /** This pipeline with {@code stage}'s result (replacing an earlier report of it) and {@code given} fields merged. */
    PipelineRecord withReport(Stage stage, JsonNode result, ObjectNode given, Instant now) {
        Map<Stage, JsonNode> s = new EnumMap<>(Stage.class);
        s.putAll(stages);
        if (stage != null) {
            s.put(stage, result);
        }
        return new PipelineRecord(pipelineId, state, merged(given), s, defaultStart, createdAt, now, completedAt,
                pipelineStatus, document);
    }

    PipelineRecord completedWith(String status, String documentJson, Instant now) {
        return new PipelineRecord(pipelineId, COMPLETED, fields, stages, defaultStart, createdAt, now, now, status,
                documentJson);
    }

    /** Later values win; a field given as null is cleared. */
    private ObjectNode merged(ObjectNode given) {
        ObjectNode out = fields.deepCopy();
        given.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
        return out;
    }
}
