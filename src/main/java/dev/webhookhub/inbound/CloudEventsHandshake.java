package dev.webhookhub.inbound;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The CloudEvents HTTP webhook abuse-protection handshake: a sender subscribing a receiver first sends
 * {@code OPTIONS} with {@code WebHook-Request-Origin}; the receiver agrees with {@code WebHook-Allowed-Origin} (and
 * the rate it accepts). Answered on every receiver path; the POST that follows is verified as usual.
 */
public final class CloudEventsHandshake {

    static final String[] RECEIVER_PATHS = { "/api/containers/webhooks/*", "/api/webhooks/receive/*",
        "/api/webhooks/jenkins", "/api/webhooks/foundries/*", "/webhook/results",
        // senders added by a route alone (README "Adding a sender")
        "/api/webhooks/senders/*" };

    private CloudEventsHandshake() {
    }

    public static void install(Router router) {
        for (String path : RECEIVER_PATHS) {
            router.route(HttpMethod.OPTIONS, path).order(-300).handler(CloudEventsHandshake::answer);
        }
    }

    private static void answer(RoutingContext ctx) {
        String origin = ctx.request().getHeader("WebHook-Request-Origin");
        var response = ctx.response().putHeader("Allow", "POST, OPTIONS");
        if (origin != null && !origin.isBlank()) {
            response.putHeader("WebHook-Allowed-Origin", origin.trim()).putHeader("WebHook-Allowed-Rate", "*");
        }
        response.setStatusCode(200).end();
    }
}
