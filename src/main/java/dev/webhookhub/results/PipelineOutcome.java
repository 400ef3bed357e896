package dev.webhookhub.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * pipeline_status and success_rate, derived from the stage results' {@code success} flags:
 * {@code failed} when any reported stage failed; {@code success} when all four stages reported success;
 * {@code partial} when every reported stage succeeded but some stage never reported (completed early, or skipped).
 * success_rate is the share of the four expected stages that reported success, in percent with one decimal:
 * a stage that never reported counts as not succeeded.
 */
record PipelineOutcome(String status, double successRate) {

    static final String SUCCESS = "success";
    static final String FAILED = "failed";
    static final String PARTIAL = "partial";

    static PipelineOutcome of(Map<Stage, JsonNode> stages) {
        int succeeded = 0;
        boolean anyFailed = false;
        for (JsonNode result : stages.values()) {
            if (succeeded(result)) {
                succeeded++;
            } else {
                anyFailed = true;
            }
        }
        int expected = Stage.values().length;
        String status = anyFailed ? FAILED : stages.size() == expected ? SUCCESS : PARTIAL;
        return new PipelineOutcome(status, Math.round(1000.0 * succeeded / expected) / 10.0);
    }

    private static boolean succeeded(JsonNode result) {
        JsonNode success = result == null ? null : result.get("success");
        return success != null && success.isBoolean() && success.booleanValue();
    }
}
