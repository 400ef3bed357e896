package dev.webhookhub.results;

import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.api.AdminRouteBuilder;

/** Admin API for pipeline results and for what the built-in receiver took in. Every operation requires the token. */
public final class ResultsApiRoutes extends AdminRouteBuilder {

    private final ResultsApi results;
    private final ReceivedResultsApi received;

    ResultsApiRoutes(AdminAuth auth, ResultsApi results, ReceivedResultsApi received) {
        super(auth);
        this.results = results;
        this.received = received;
    }

    @Override
    protected void configureApi() {
        rest("/api/pipelines")
                .post("/{pipelineId}/stages/{stage}").id("api-pipeline-stage-report")
                .to("direct:api-pipeline-stage-report")
                .post("/{pipelineId}/complete").id("api-pipeline-complete").to("direct:api-pipeline-complete")
                .get("/{pipelineId}/results").id("api-pipeline-results-get").to("direct:api-pipeline-results-get");
        rest("/api/results")
                .get("/received").id("api-results-received-list").to("direct:api-results-received-list");

        handle("api-pipeline-stage-report", results::stage);
        handle("api-pipeline-complete", results::complete);
        handle("api-pipeline-results-get", results::get);
        handle("api-results-received-list", received::list);
    }
}
