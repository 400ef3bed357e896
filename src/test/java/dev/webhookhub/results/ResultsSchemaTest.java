package dev.webhookhub.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import java.io.InputStream;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The repository's JSON Schema, through Camel's json-validator, against the product document's example. */
class ResultsSchemaTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static DefaultCamelContext context;
    static ResultsSchema schema;

    @BeforeAll
    static void start() {
        context = new DefaultCamelContext();
        context.start();
        schema = new ResultsSchema(context, ResultsSchema.DEFAULT_URI);
    }

    @AfterAll
    static void stop() throws Exception {
        context.close();
    }

    static ObjectNode example() throws Exception {
        try (InputStream in = ResultsSchemaTest.class.getResourceAsStream("/results/product-document-example.json")) {
            return (ObjectNode) MAPPER.readTree(in);
        }
    }

    @Test
    void theProductDocumentsExamplePasses() throws Exception {
        assertThat(schema.violations(example().toString())).isEmpty();
    }

    @Test
    void wrongTypesAreReportedByField() throws Exception {
        ObjectNode doc = example();
        ObjectNode results = (ObjectNode) doc.get("results");
        results.put("pr_number", "123");
        ((ObjectNode) results.get("build_results")).put("duration", "15.5");
        ((ObjectNode) results.get("analysis_results").get("vulnerabilities").get(0)).put("confidence_score", 1.5);
        ((ObjectNode) results.get("test_results")).remove("success");
        List<String> violations = schema.violations(doc.toString());
        assertThat(violations).anyMatch(v -> v.startsWith("results.pr_number"))
                .anyMatch(v -> v.startsWith("results.build_results.duration"))
                .anyMatch(v -> v.startsWith("results.analysis_results.vulnerabilities[0].confidence_score"))
                .anyMatch(v -> v.startsWith("results.test_results") && v.contains("success"));
        assertThat(violations).hasSize(4);
        assertThatThrownBy(() -> schema.check(doc.toString())).isInstanceOf(ApiError.class)
                .hasMessageContaining("pr_number").satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(400));
    }

    @Test
    void unknownResultsFieldsAndWrongEventTypeAreRejected() throws Exception {
        ObjectNode doc = example();
        doc.put("event_type", "pipeline_started");
        ((ObjectNode) doc.get("results")).put("repo_name", "x");
        assertThat(schema.violations(doc.toString())).hasSize(2);
    }

    @Test
    void theAssembledDocumentOfTheExamplesStagesPasses() throws Exception {
        JsonNode results = example().get("results");
        Map<Stage, JsonNode> stages = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            stages.put(s, results.get(s.field()));
        }
        ObjectNode fields = MAPPER.createObjectNode().put("repository_name", "mysteryisfun/repo")
                .put("start_timestamp", "2025-08-24T10:28:30.000Z").put("end_timestamp", "2025-08-24T10:30:45.000Z");
        Instant now = Instant.parse("2025-08-24T10:30:45.123Z");
        PipelineRecord p = new PipelineRecord("mysteryisfun/repo_123_1703123456", PipelineRecord.OPEN, fields,
                stages, now, now, now, null, null, null);
        ObjectNode doc = new ResultsDocument(MAPPER).assemble(p, now);
        assertThat(schema.violations(doc.toString())).isEmpty();
        assertThat(doc.get("timestamp").asText()).isEqualTo("2025-08-24T10:30:45.123Z");
        assertThat(doc.get("results").get("total_duration").asDouble()).isEqualTo(135.0);
        assertThat(doc.get("results").get("success_rate").asDouble()).isEqualTo(100.0);
        assertThat(doc.get("results").get("pipeline_status").asText()).isEqualTo("success");
        assertThat(doc.get("results").get("pr_number").isNull()).isTrue();
    }
}
