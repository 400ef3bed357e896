package dev.webhookhub.ops;

import dev.webhookhub.api.ApiError;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes the HTTP server answer errors it raises itself (unknown path, body too large, failures) in JSON. */
public final class JsonHttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(JsonHttpErrors.class);

    private JsonHttpErrors() {
    }

    public static void install(Router router) {
        router.route().order(Integer.MAX_VALUE).handler(ctx -> write(ctx, 404, "not_found",
                "no endpoint " + ctx.request().method() + " " + ctx.request().path()));
        router.errorHandler(400, ctx -> write(ctx, 400, "bad_request", "the request could not be read"));
        router.errorHandler(404, ctx -> write(ctx, 404, "not_found", "no such endpoint"));
        router.errorHandler(405, ctx -> write(ctx, 405, "method_not_allowed", "method not allowed"));
        router.errorHandler(413, ctx -> write(ctx, 413, "payload_too_large", "the request body is too large"));
        router.errorHandler(415, ctx -> write(ctx, 415, "unsupported_media_type", "unsupported Content-Type"));
        router.errorHandler(500, ctx -> {
            LOG.error("HTTP request failed: {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
            write(ctx, 500, "internal_error", "the hub failed to process the request");
        });
    }

    private static void write(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(ApiError.json(code, message));
    }
}
