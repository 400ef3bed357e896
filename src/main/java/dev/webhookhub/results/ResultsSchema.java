package dev.webhookhub.results;

import com.networknt.schema.ValidationMessage;
import dev.webhookhub.api.ApiError;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jsonvalidator.JsonValidationException;

/**
 * Validates pipeline results documents against the JSON Schema in the repository
 * (src/main/resources/schemas/pipeline-results.schema.json, or HUB_RESULTS_SCHEMA) through Camel's
 * {@code json-validator:} component, turning violations into a 400 that names each wrong field.
 */
public final class ResultsSchema {

    /** The schema shipped in the jar. */
    public static final String DEFAULT_URI = "classpath:schemas/pipeline-results.schema.json";

    private final ProducerTemplate producer;
    private final String endpointUri;

    public ResultsSchema(CamelContext context, String schemaUri) {
        this.producer = context.createProducerTemplate();
        this.endpointUri = "json-validator:" + schemaUri;
    }

    /** The violations of {@code json}, one line each ({@code results.pr_number: string found, integer expected}). */
    public List<String> violations(String json) {
        Exchange done = producer.send(endpointUri, e -> e.getIn().setBody(json));
        Exception failure = done.getException();
        if (failure == null) {
            return List.of();
        }
        if (failure instanceof JsonValidationException invalid && !invalid.getErrors().isEmpty()) {
            return invalid.getErrors().stream().map(ResultsSchema::describe).sorted().distinct().toList();
        }
        throw new IllegalStateException("cannot validate against " + endpointUri, failure);
    }

    /**
     * Throws a 400 {@code invalid_results} listing every violation, with field paths relative to the
     * {@code results} object (the shape of a stage report body).
     */
    void check(String documentJson) {
        List<String> violations = violations(documentJson);
        if (!violations.isEmpty()) {
            throw ApiError.badRequest("invalid_results", violations.stream()
                    .map(v -> v.startsWith("results.") ? v.substring("results.".length()) : v)
                    .collect(Collectors.joining("; ")));
        }
    }

    private static String describe(ValidationMessage m) {
        String message = m.getMessage();
        // networknt prefixes the message with the instance location ($.results.x); keep it without the "$."
        return message.startsWith("$.") ? message.substring(2) : message.startsWith("$: ") ? message.substring(3)
                : message;
    }
}
