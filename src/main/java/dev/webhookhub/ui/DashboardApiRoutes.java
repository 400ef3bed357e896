package dev.webhookhub.ui;

import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.api.AdminRouteBuilder;

/** The dashboard's own admin endpoint (the Health page's queue depths and recent errors). */
public final class DashboardApiRoutes extends AdminRouteBuilder {

    private final OperationsOverview overview;

    public DashboardApiRoutes(AdminAuth auth, OperationsOverview overview) {
        super(auth);
        this.overview = overview;
    }

    @Override
    protected void configureApi() {
        rest("/api/dashboard")
                .get("/overview").id("api-dashboard-overview").to("direct:api-dashboard-overview");
        handle("api-dashboard-overview", overview::overview);
    }
}
