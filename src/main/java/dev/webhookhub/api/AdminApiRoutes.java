package dev.webhookhub.api;

/** The services admin API. Every endpoint requires the admin token. */
public final class AdminApiRoutes extends AdminRouteBuilder {

    private final ServicesApi services;

    public AdminApiRoutes(AdminAuth auth, ServicesApi services) {
        super(auth);
        this.services = services;
    }

    @Override
    protected void configureApi() {
        rest("/api/containers/services")
                .post().id("api-service-create").to("direct:api-service-create")
                .get().id("api-service-list").to("direct:api-service-list")
                .get("/{serviceId}").id("api-service-get").to("direct:api-service-get")
                .put("/{serviceId}").id("api-service-update").to("direct:api-service-update")
                .delete("/{serviceId}").id("api-service-delete").to("direct:api-service-delete")
                .get("/{serviceId}/webhook-url").id("api-service-webhook-url").to("direct:api-service-webhook-url")
                .get("/{serviceId}/deliveries").id("api-service-deliveries").to("direct:api-service-deliveries")
                .get("/{serviceId}/deliveries/{deliveryId}").id("api-service-delivery")
                .to("direct:api-service-delivery");

        handle("api-service-create", services::create);
        handle("api-service-list", services::list);
        handle("api-service-get", services::get);
        handle("api-service-update", services::update);
        handle("api-service-delete", services::delete);
        handle("api-service-webhook-url", services::webhookUrl);
        handle("api-service-deliveries", services::deliveries);
        handle("api-service-delivery", services::delivery);
    }
}
