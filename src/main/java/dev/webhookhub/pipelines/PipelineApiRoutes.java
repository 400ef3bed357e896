package dev.webhookhub.pipelines;

import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.api.AdminRouteBuilder;
import dev.webhookhub.jenkins.JenkinsSyncApi;

/** Admin API for pipeline runs and the Jenkins sync. Every endpoint requires the admin token. */
public final class PipelineApiRoutes extends AdminRouteBuilder {

    private final PipelineRunsApi runs;
    private final JenkinsSyncApi jenkins;

    public PipelineApiRoutes(AdminAuth auth, PipelineRunsApi runs, JenkinsSyncApi jenkins) {
        super(auth);
        this.runs = runs;
        this.jenkins = jenkins;
    }

    @Override
    protected void configureApi() {
        rest("/api/pipeline-runs")
                .get().id("api-pipeline-runs-list").to("direct:api-pipeline-runs-list")
                .get("/{id}").id("api-pipeline-runs-get").to("direct:api-pipeline-runs-get");
        rest("/api/jenkins")
                .post("/sync-now").id("api-jenkins-sync-now").to("direct:api-jenkins-sync-now");

        handle("api-pipeline-runs-list", runs::list);
        handle("api-pipeline-runs-get", runs::get);
        handle("api-jenkins-sync-now", jenkins::syncNow);
    }
}
