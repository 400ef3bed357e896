package dev.webhookhub.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.Requests;
import dev.webhookhub.store.Page;
import org.apache.camel.Exchange;

/** {@code GET /api/results/received?pipeline_id&limit&offset}: what the built-in receiver took in, newest first. */
final class ReceivedResultsApi {

    private final ReceivedResultsStore store;
    private final ObjectMapper mapper;

    ReceivedResultsApi(ReceivedResultsStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    void list(Exchange exchange) {
        int limit = Requests.intParam(exchange, "limit", 50, 1, 1000);
        int offset = Requests.intParam(exchange, "offset", 0, 0, Integer.MAX_VALUE);
        String pipelineId = Requests.query(exchange, "pipeline_id");
        Page<ReceivedResult> page = store.page(pipelineId == null || pipelineId.isBlank() ? null : pipelineId, limit,
                offset);
        ObjectNode out = mapper.createObjectNode();
        ArrayNode items = out.putArray("items");
        for (ReceivedResult r : page.items()) {
            ObjectNode item = items.addObject();
            item.put("id", r.id());
            item.put("received_at", IsoTimes.format(r.receivedAt()));
            item.put("message_id", r.messageId());
            item.put("event_type", r.eventType());
            item.put("pipeline_id", r.pipelineId());
            item.put("signature_verified", r.signatureVerified());
            item.set("headers", Requests.storedJson(mapper, r.headersJson()));
            item.set("body", Requests.storedJson(mapper, r.body()));
        }
        out.put("total", page.total());
        out.put("limit", page.limit());
        out.put("offset", page.offset());
        Requests.respond(exchange, 200, out, mapper);
    }
}
