package dev.webhookhub.deploy;

import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.api.AdminRouteBuilder;

/** The deployments admin API under /api/containers/services/{serviceId}. Every endpoint requires the admin token. */
public final class DeploymentApiRoutes extends AdminRouteBuilder {

    private final DeploymentsApi api;

    public DeploymentApiRoutes(AdminAuth auth, DeploymentsApi api) {
        super(auth);
        this.api = api;
    }

    @Override
    protected void configureApi() {
        rest("/api/containers/services")
                .get("/{serviceId}/deployments").id("api-service-deployments").to("direct:api-service-deployments")
                .get("/{serviceId}/deployments/{deploymentId}").id("api-deployment-get")
                .to("direct:api-deployment-get")
                .get("/{serviceId}/deployments/{deploymentId}/logs").id("api-deployment-logs")
                .to("direct:api-deployment-logs")
                .post("/{serviceId}/deploy").id("api-service-deploy").to("direct:api-service-deploy")
                .post("/{serviceId}/deployments/{deploymentId}/redeploy").id("api-deployment-redeploy")
                .to("direct:api-deployment-redeploy")
                .post("/{serviceId}/rollback").id("api-service-rollback").to("direct:api-service-rollback");
        handle("api-service-deployments", api::list);
        handle("api-deployment-get", api::get);
        handle("api-deployment-logs", api::logs);
        handle("api-service-deploy", api::deploy);
        handle("api-deployment-redeploy", api::redeploy);
        handle("api-service-rollback", api::rollback);
    }
}
