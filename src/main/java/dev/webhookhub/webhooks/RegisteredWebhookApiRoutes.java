package dev.webhookhub.webhooks;

import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.api.AdminRouteBuilder;

/** The registered-webhooks admin API, and replay of a service's deliveries. Every endpoint requires the admin token. */
public final class RegisteredWebhookApiRoutes extends AdminRouteBuilder {

    private final RegisteredWebhooksApi api;

    public RegisteredWebhookApiRoutes(AdminAuth auth, RegisteredWebhooksApi api) {
        super(auth);
        this.api = api;
    }

    @Override
    protected void configureApi() {
        rest("/api/webhooks")
                .post("/register").id("api-webhook-register").to("direct:api-webhook-register")
                .get().id("api-webhook-list").to("direct:api-webhook-list")
                .get("/{webhookId}").id("api-webhook-get").to("direct:api-webhook-get")
                .put("/{webhookId}").id("api-webhook-update").to("direct:api-webhook-update")
                .delete("/{webhookId}").id("api-webhook-delete").to("direct:api-webhook-delete")
                .post("/{webhookId}/rotate-secret").id("api-webhook-rotate").to("direct:api-webhook-rotate")
                .get("/{webhookId}/deliveries").id("api-webhook-deliveries").to("direct:api-webhook-deliveries")
                .post("/{webhookId}/deliveries/{deliveryId}/replay").id("api-webhook-replay")
                .to("direct:api-webhook-replay");
        rest("/api/containers/services")
                .post("/{serviceId}/deliveries/{deliveryId}/replay").id("api-service-delivery-replay")
                .to("direct:api-service-delivery-replay");

        handle("api-webhook-register", api::register);
        handle("api-webhook-list", api::list);
        handle("api-webhook-get", api::get);
        handle("api-webhook-update", api::update);
        handle("api-webhook-delete", api::delete);
        handle("api-webhook-rotate", api::rotateSecret);
        handle("api-webhook-deliveries", api::deliveries);
        handle("api-webhook-replay", api::replayWebhookDelivery);
        handle("api-service-delivery-replay", api::replayServiceDelivery);
    }
}
