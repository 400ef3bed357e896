package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.api.ApiError;
import dev.webhookhub.store.DeliveryInbox;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Vert.x handlers in front of the webhook receiver routes: refuses bodies whose Content-Length is over the limit
 * with a JSON 413 before reading them, and gives the verifier access to the raw bytes of form-encoded bodies (which
 * platform-http only hands over decoded) for signature checks.
 */
public final class WebhookHttpGuard {

    static final String PATH = "/api/containers/webhooks/*";

    private final RawFormBodies rawForms;
    private final long maxBodyBytes;
    private final DeliveryInbox inbox;
    private final ObjectMapper mapper;

    public WebhookHttpGuard(RawFormBodies rawForms, long maxBodyBytes, DeliveryInbox inbox, ObjectMapper mapper) {
        this.rawForms = rawForms;
        this.maxBodyBytes = maxBodyBytes;
        this.inbox = inbox;
        this.mapper = mapper;
    }

    public void install(Router router) {
        router.route(PATH).order(-200).handler(this::refuseOversized);
        router.route(PATH).order(-100).handler(this::rememberFormContext);
    }

    private void refuseOversized(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBodyBytes) {
                    String message = "body is larger than " + maxBodyBytes + " bytes";
                    recordOversized(ctx, message);
                    respond(ctx, 413, "payload_too_large", message);
                    return;
                }
            } catch (NumberFormatException e) {
                respond(ctx, 400, "bad_request", "Content-Length is not a number");
                return;
            }
        }
        ctx.next();
    }

    /**
     * The body is read later by the route's own body handler (reading it here breaks HTTP/2 requests). Vert.x would
     * decode a form body into fields, refusing fields over 8 KB; GitHub puts the whole JSON in one field, and signs
     * the raw form bytes. So a form request (and a multipart one, to be refused with 415 and recorded) is relabelled
     * as opaque bytes before the body handler sees it, and its routing context is remembered for the verifier, which
     * reads the raw body from it.
     */
    private void rememberFormContext(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String ct = request.getHeader("Content-Type");
        if (ct != null && isForm(ct.toLowerCase(Locale.ROOT))) {
            rawForms.remember(request, ctx, ct);
            request.headers().set("Content-Type", "application/octet-stream");
            ctx.addEndHandler(v -> rawForms.forget(request));
        }
        ctx.next();
    }

    private static boolean isForm(String contentType) {
        return contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/");
    }

    /** Logs the refused delivery; the body was never read, so no payload is kept. */
    private void recordOversized(RoutingContext ctx, String message) {
        String[] parts = ctx.request().path().split("/");
        ReceivedDelivery d = new ReceivedDelivery(parts.length > 4 ? parts[4].toLowerCase(Locale.ROOT) : "unknown",
                parts.length > 5 ? parts[5] : null);
        d.request(null, RequestHeaders.redactedJson(mapper, ctx.request().headers(), null));
        d.markRejected(message);
        inbox.submit(d.toRecord(413, "payload_too_large: " + message, 0));
    }

    static void respond(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(ApiError.json(code, message));
    }
}
