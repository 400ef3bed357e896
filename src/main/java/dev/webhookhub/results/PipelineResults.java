package dev.webhookhub.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.events.EventTypes;
import dev.webhookhub.outbound.OutboundPublisher;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Takes stage reports, completes pipelines and publishes their results document. Every state the store keeps
 * assembles into a document that passes the schema: a report is validated as the document it would make, before it
 * is stored. Completion stores the document, marks the pipeline completed and writes the pipeline.completed outbox
 * rows in one transaction, so a completed pipeline has published exactly once and a crash loses neither.
 */
public final class PipelineResults {

    public static final String OUTBOUND_EVENT = "pipeline.completed";

    /** What a report or completion call did. {@code messages}: outbox rows written by this call. */
    record Outcome(PipelineRecord pipeline, ObjectNode document, boolean completedNow, int messages) {
    }

    private final PipelineResultsStore store;
    private final ResultsDocument documents;
    private final ResultsSchema schema;
    private final OutboundPublisher publisher;
    private final EventBus events;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final boolean autoComplete;
    private final String publicUrl;

    PipelineResults(PipelineResultsStore store, ResultsSchema schema, OutboundPublisher publisher, EventBus events,
            ObjectMapper mapper, Clock clock, boolean autoComplete, String publicUrl) {
        this.store = store;
        this.documents = new ResultsDocument(mapper);
        this.schema = schema;
        this.publisher = publisher;
        this.events = events;
        this.mapper = mapper;
        this.clock = clock;
        this.autoComplete = autoComplete;
        this.publicUrl = publicUrl;
    }

    /**
     * Stores one stage's result (a repeated report of a stage replaces it) and the pipeline-level fields given with
     * it; completes the pipeline when this was the last of the four stages and auto-completion is on.
     */
    Outcome report(String pipelineId, Stage stage, ObjectNode body) {
        JsonNode result = ReportFields.stageResult(body, stage);
        ObjectNode given = ReportFields.pipelineFields(body, stage);
        Outcome outcome = store.inTransaction(c -> {
            Instant now = clock.instant();
            Optional<PipelineRecord> existing = store.lock(c, pipelineId);
            if (existing.isPresent() && existing.get().completed()) {
                throw new ApiError(409, "pipeline_completed", "pipeline " + pipelineId
                        + " is already completed; its results were published");
            }
            PipelineRecord before = existing.orElseGet(() -> PipelineRecord.open(pipelineId, mapper.createObjectNode(),
                    now.minusMillis(durationMillis(result)), now));
            PipelineRecord after = before.withReport(stage, result, given, now);
            ObjectNode document = documents.assemble(after, now);
            schema.check(document.toString());
            if (existing.isEmpty()) {
                store.insert(c, after);
            } else {
                store.update(c, after);
            }
            if (autoComplete && after.hasAllStages()) {
                return complete(c, after, document, now);
            }
            return new Outcome(after, document, false, 0);
        });
        raiseEvent(outcome);
        return outcome;
    }

    /**
     * Completes the pipeline with the fields given (404 when no stage was ever reported). Completing a completed
     * pipeline changes and sends nothing: it answers the document that was published.
     */
    Outcome complete(String pipelineId, ObjectNode body) {
        ObjectNode given = ReportFields.pipelineFields(body, null);
        Outcome outcome = store.inTransaction(c -> {
            Instant now = clock.instant();
            PipelineRecord before = store.lock(c, pipelineId).orElseThrow(() -> ApiError.notFound(
                    "pipeline " + pipelineId));
            if (before.completed()) {
                return new Outcome(before, parse(before.document()), false, 0);
            }
            PipelineRecord after = before.withReport(null, null, given, now);
            ObjectNode document = documents.assemble(after, now);
            schema.check(document.toString());
            return complete(c, after, document, now);
        });
        raiseEvent(outcome);
        return outcome;
    }

    /** The pipeline with its document: the published one once completed, else the one completing now would make. */
    Optional<Map.Entry<PipelineRecord, ObjectNode>> view(String pipelineId) {
        return store.find(pipelineId).map(p -> Map.entry(p, p.completed() ? parse(p.document())
                : documents.assemble(p, clock.instant())));
    }

    private Outcome complete(Connection c, PipelineRecord open, ObjectNode document, Instant now) throws SQLException {
        String json = document.toString();
        PipelineRecord done = open.completedWith(document.get("results").get("pipeline_status").asText(), json, now);
        store.update(c, done);
        int messages = publisher.publish(c, OUTBOUND_EVENT, json).size();
        return new Outcome(done, document, true, messages);
    }

    /** The internal bus event, raised after the commit (the bus may drop it; the outbox has the document). */
    private void raiseEvent(Outcome outcome) {
        if (!outcome.completedNow()) {
            return;
        }
        JsonNode results = outcome.document().get("results");
        PipelineRecord p = outcome.pipeline();
        String repository = results.path("repository_name").textValue();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("pipeline_id", p.pipelineId());
        data.put("status", p.pipelineStatus());
        data.put("success_rate", results.get("success_rate").doubleValue());
        data.put("total_duration", results.get("total_duration").doubleValue());
        data.put("link", publicUrl + "/api/pipelines/" + ResultsApi.encodePathSegment(p.pipelineId()) + "/results");
        if (repository != null) {
            data.put("repository_name", repository);
        }
        events.publish(EventTypes.PIPELINE_COMPLETED, "pipeline:" + p.pipelineId(),
                repository != null ? repository : p.pipelineId(), null, null, data);
    }

    private static long durationMillis(JsonNode result) {
        JsonNode d = result.get("duration");
        return d != null && d.isNumber() && d.doubleValue() > 0 && d.doubleValue() < 31_536_000
                ? Math.round(d.doubleValue() * 1000) : 0;
    }

    private ObjectNode parse(String json) {
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored results document is not JSON", e);
        }
    }
}
