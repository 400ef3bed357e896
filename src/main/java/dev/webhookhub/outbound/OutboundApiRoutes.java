package dev.webhookhub.outbound;

import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.api.AdminRouteBuilder;

/** Admin API for outbound endpoints and messages. Every operation requires the admin token. */
public final class OutboundApiRoutes extends AdminRouteBuilder {

    private final OutboundApi api;

    public OutboundApiRoutes(AdminAuth auth, OutboundApi api) {
        super(auth);
        this.api = api;
    }

    @Override
    protected void configureApi() {
        rest("/api/outbound/endpoints")
                .post().id("api-outbound-endpoints-create").to("direct:api-outbound-endpoints-create")
                .get().id("api-outbound-endpoints-list").to("direct:api-outbound-endpoints-list")
                .get("/{id}").id("api-outbound-endpoints-get").to("direct:api-outbound-endpoints-get")
                .put("/{id}").id("api-outbound-endpoints-update").to("direct:api-outbound-endpoints-update")
                .delete("/{id}").id("api-outbound-endpoints-delete").to("direct:api-outbound-endpoints-delete")
                .get("/{id}/messages").id("api-outbound-endpoint-messages")
                .to("direct:api-outbound-endpoint-messages")
                .post("/{id}/recover").id("api-outbound-endpoint-recover").to("direct:api-outbound-endpoint-recover");
        rest("/api/outbound/messages")
                .get("/{messageId}").id("api-outbound-message-get").to("direct:api-outbound-message-get")
                .post("/{messageId}/redeliver").id("api-outbound-message-redeliver")
                .to("direct:api-outbound-message-redeliver");

        handle("api-outbound-endpoints-create", api::create);
        handle("api-outbound-endpoints-list", api::list);
        handle("api-outbound-endpoints-get", api::get);
        handle("api-outbound-endpoints-update", api::update);
        handle("api-outbound-endpoints-delete", api::delete);
        handle("api-outbound-endpoint-messages", api::messagesOfEndpoint);
        handle("api-outbound-endpoint-recover", api::recover);
        handle("api-outbound-message-get", api::message);
        handle("api-outbound-message-redeliver", api::redeliver);
    }
}
