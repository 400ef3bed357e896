package dev.webhookhub.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import dev.webhookhub.api.Requests;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.camel.Exchange;

/** Handlers of the pipeline results admin API: stage reports, completion, the assembled state. */
final class ResultsApi {

    private final PipelineResults results;
    private final ObjectMapper mapper;

    ResultsApi(PipelineResults results, ObjectMapper mapper) {
        this.results = results;
        this.mapper = mapper;
    }

    /** {@code POST /api/pipelines/{pipelineId}/stages/{stage}}. */
    void stage(Exchange exchange) {
        String pipelineId = pipelineId(exchange);
        String name = Requests.pathParam(exchange, "stage");
        Stage stage = Stage.ofPath(name).orElseThrow(() -> new ApiError(404, "unknown_stage", "no stage '" + name
                + "'; the stages are " + Arrays.stream(Stage.values()).map(Stage::path).toList()));
        PipelineResults.Outcome outcome = results.report(pipelineId, stage, Requests.jsonObject(exchange, mapper));
        ObjectNode out = answer(outcome.pipeline(), outcome.document());
        out.put("stage", stage.path());
        out.put("completed_now", outcome.completedNow());
        out.put("outbound_messages", outcome.messages());
        if (!outcome.completedNow()) {
            out.remove("document");
        }
        Requests.respond(exchange, 200, out, mapper);
    }

    /** {@code POST /api/pipelines/{pipelineId}/complete}; the body (pipeline-level fields) is optional. */
    void complete(Exchange exchange) {
        String pipelineId = pipelineId(exchange);
        String body = exchange.getIn().getBody(String.class);
        ObjectNode given = body == null || body.isBlank() ? mapper.createObjectNode()
                : Requests.jsonObject(exchange, mapper);
        PipelineResults.Outcome outcome = results.complete(pipelineId, given);
        ObjectNode out = answer(outcome.pipeline(), outcome.document());
        out.put("completed_now", outcome.completedNow());
        out.put("already_completed", !outcome.completedNow());
        out.put("outbound_messages", outcome.messages());
        Requests.respond(exchange, 200, out, mapper);
    }

    /** {@code GET /api/pipelines/{pipelineId}/results}. */
    void get(Exchange exchange) {
        String pipelineId = pipelineId(exchange);
        Map.Entry<PipelineRecord, ObjectNode> view = results.view(pipelineId)
                .orElseThrow(() -> ApiError.notFound("pipeline " + pipelineId));
        ObjectNode out = answer(view.getKey(), view.getValue());
        out.put("draft", !view.getKey().completed());
        Requests.respond(exchange, 200, out, mapper);
    }

    private ObjectNode answer(PipelineRecord p, ObjectNode document) {
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("pipeline_id", p.pipelineId());
        out.put("state", p.state());
        ArrayNode received = out.putArray("stages_received");
        p.stages().keySet().forEach(s -> received.add(s.path()));
        out.put("created_at", IsoTimes.format(p.createdAt()));
        out.put("completed_at", p.completedAt() == null ? null : IsoTimes.format(p.completedAt()));
        out.set("document", document);
        return out;
    }

    private static String pipelineId(Exchange exchange) {
        String id = Requests.pathParam(exchange, "pipelineId");
        if (id == null || id.isBlank() || id.length() > 255 || id.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest("invalid_parameter", "pipelineId must be 1 to 255 printable characters");
        }
        return id;
    }

    /** A pipeline id in a URL path ({@code owner/repo_1} becomes {@code owner%2Frepo_1}). */
    static String encodePathSegment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
