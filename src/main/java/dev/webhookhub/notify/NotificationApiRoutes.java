package dev.webhookhub.notify;

import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.api.AdminRouteBuilder;

/** Admin API for notification settings (the product document's paths). Every operation requires the admin token. */
public final class NotificationApiRoutes extends AdminRouteBuilder {

    private final NotificationApi api;

    public NotificationApiRoutes(AdminAuth auth, NotificationApi api) {
        super(auth);
        this.api = api;
    }

    @Override
    protected void configureApi() {
        rest("/api/notifications")
                .get().id("api-notifications-list").to("direct:api-notifications-list")
                .post().id("api-notifications-create").to("direct:api-notifications-create")
                .post("/test").id("api-notifications-test").to("direct:api-notifications-test")
                .get("/{id}").id("api-notifications-get").to("direct:api-notifications-get")
                .put("/{id}").id("api-notifications-update").to("direct:api-notifications-update")
                .delete("/{id}").id("api-notifications-delete").to("direct:api-notifications-delete")
                .get("/{id}/messages").id("api-notification-messages").to("direct:api-notification-messages")
                .post("/messages/{messageId}/redeliver").id("api-notification-message-redeliver")
                .to("direct:api-notification-message-redeliver");

        handle("api-notifications-list", api::list);
        handle("api-notifications-create", api::create);
        handle("api-notifications-test", api::test);
        handle("api-notifications-get", api::get);
        handle("api-notifications-update", api::update);
        handle("api-notifications-delete", api::delete);
        handle("api-notification-messages", api::messages);
        handle("api-notification-message-redeliver", api::redeliver);
    }
}
