package dev.webhookhub.api;

import dev.webhookhub.store.StoreException;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin REST API (Java DSL: not meant for engineers to edit). Every endpoint requires the admin token. */
public final class AdminApiRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(AdminApiRoutes.class);

    private final AdminAuth auth;
    private final ServicesApi services;

    public AdminApiRoutes(AdminAuth auth, ServicesApi services) {
        this.auth = auth;
        this.services = services;
    }

    /** The route behind one REST operation: admin token first, then the handler. */
    private void handle(String id, Processor handler) {
        from("direct:" + id).routeId(id + "-handler").process(auth).process(handler);
    }

    @Override
    public void configure() {
        onException(ApiError.class).handled(true)
                .process(e -> {
                    ApiError err = e.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, ApiError.class);
                    ApiError.write(e, err.status(), err.code(), err.getMessage());
                });
        onException(StoreException.class).handled(true)
                .process(e -> {
                    LOG.error("admin request failed on the store: {}",
                            e.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class).toString());
                    ApiError.write(e, 503, "store_unavailable", "the store is unavailable; retry later");
                });
        onException(Exception.class).handled(true)
                .process(e -> {
                    LOG.error("admin request failed",
                            e.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class));
                    ApiError.write(e, 500, "internal_error", "the request failed inside the hub");
                });
        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);

        rest("/api/containers/services")
                .post().id("api-service-create").to("direct:api-service-create")
                .get().id("api-service-list").to("direct:api-service-list")
                .get("/{serviceId}").id("api-service-get").to("direct:api-service-get")
                .put("/{serviceId}").id("api-service-update").to("direct:api-service-update")
                .delete("/{serviceId}").id("api-service-delete").to("direct:api-service-delete")
                .get("/{serviceId}/webhook-url").id("api-service-webhook-url").to("direct:api-service-webhook-url")
                .get("/{serviceId}/deployments").id("api-service-deployments").to("direct:api-service-deployments")
                .get("/{serviceId}/deliveries").id("api-service-deliveries").to("direct:api-service-deliveries");

        handle("api-service-create", services::create);
        handle("api-service-list", services::list);
        handle("api-service-get", services::get);
        handle("api-service-update", services::update);
        handle("api-service-delete", services::delete);
        handle("api-service-webhook-url", services::webhookUrl);
        handle("api-service-deployments", services::deployments);
        handle("api-service-deliveries", services::deliveries);
    }
}
