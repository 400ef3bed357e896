package dev.webhookhub.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import dev.webhookhub.api.Requests;
import dev.webhookhub.store.Page;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/** Handlers for GET /api/pipeline-runs (filters, paging, newest first) and GET /api/pipeline-runs/{id}. */
public final class PipelineRunsApi {

    private static final Pattern SOURCE = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private final ObjectMapper mapper;
    private final PipelineRunStore runs;

    public PipelineRunsApi(ObjectMapper mapper, PipelineRunStore runs) {
        this.mapper = mapper;
        this.runs = runs;
    }

    public void list(Exchange exchange) {
        String source = text(exchange, "source", 32);
        if (source != null && !SOURCE.matcher(source).matches()) {
            throw ApiError.badRequest("invalid_parameter", "source must be a source name such as jenkins, github, "
                    + "gitlab, bitbucket, azure-devops or foundries");
        }
        String status = text(exchange, "status", 16);
        if (status != null && !PipelineStatus.isValid(status)) {
            throw ApiError.badRequest("invalid_parameter", "status must be one of " + PipelineStatus.ALL);
        }
        RunFilter filter = new RunFilter(source, text(exchange, "job", 500), status, text(exchange, "branch", 255),
                since(exchange));
        int limit = Requests.intParam(exchange, "limit", 50, 1, 1000);
        int offset = Requests.intParam(exchange, "offset", 0, 0, Integer.MAX_VALUE);
        Page<PipelineRun> page = runs.list(filter, limit, offset);
        ObjectNode out = mapper.createObjectNode();
        ArrayNode items = out.putArray("items");
        page.items().forEach(r -> items.add(json(r)));
        out.put("total", page.total());
        out.put("limit", page.limit());
        out.put("offset", page.offset());
        Requests.respond(exchange, 200, out, mapper);
    }

    public void get(Exchange exchange) {
        PipelineRun run = runs.find(Requests.pathParam(exchange, "id"))
                .orElseThrow(() -> ApiError.notFound("pipeline run"));
        Requests.respond(exchange, 200, json(run), mapper);
    }

    private static String text(Exchange exchange, String name, int max) {
        String v = Requests.query(exchange, name);
        if (v == null || v.isBlank()) {
            return null;
        }
        if (v.length() > max) {
            throw ApiError.badRequest("invalid_parameter", name + " must be at most " + max + " characters");
        }
        return v.trim();
    }

    /** {@code since}: an ISO-8601 instant ({@code 2024-05-01T10:00:00Z}, with an offset) or a date (UTC midnight). */
    private static Instant since(Exchange exchange) {
        String v = text(exchange, "since", 64);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException ignored) {
            // a date, perhaps
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException ignored) {
            // a date, perhaps
        }
        try {
            return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("invalid_parameter",
                    "since must be an ISO-8601 time such as 2024-05-01T10:00:00Z or a date such as 2024-05-01");
        }
    }

    public ObjectNode json(PipelineRun r) {
        ObjectNode o = mapper.createObjectNode();
        o.put("id", r.id());
        o.put("source", r.source());
        o.put("job", r.job());
        o.put("number", r.number());
        o.put("status", r.status());
        o.put("raw_status", r.rawStatus());
        o.put("url", r.url());
        o.put("started_at", r.startedAt() == null ? null : r.startedAt().toString());
        if (r.durationMs() == null) {
            o.putNull("duration_ms");
        } else {
            o.put("duration_ms", r.durationMs());
        }
        o.put("triggered_by", r.triggeredBy());
        o.put("branch", r.branch());
        o.put("commit_sha", r.commitSha());
        o.set("stages", Requests.storedJson(mapper, r.stagesJson()));
        o.put("created_at", r.createdAt().toString());
        o.put("updated_at", r.updatedAt().toString());
        return o;
    }
}
