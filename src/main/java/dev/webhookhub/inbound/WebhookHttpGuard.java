package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.api.ApiError;
import dev.webhookhub.deliveries.ReceivedDelivery;
import dev.webhookhub.http.EarlyAnswer;
import dev.webhookhub.deliveries.DeliveryInbox;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.URIDecoder;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * Vert.x handlers in front of the webhook receiver routes: refuses bodies whose Content-Length is over the limit
 * with a JSON 413 before reading them, and gives the verifier access to the raw bytes of form-encoded bodies (which
 * platform-http only hands over decoded) for signature checks. Refuses deliveries for an unknown provider or a
 * service that does not exist with 404 before their body is read (from the service cache, or with a lookup off the
 * event loop for bodies over {@link #LOOKUP_ABOVE_BYTES}; smaller bodies are refused by the verifier).
 */
public final class WebhookHttpGuard {

    static final String PATH = "/api/containers/webhooks/*";
    private static final String PREFIX = "/api/containers/webhooks/";
    /** Bodies up to this size of a service not in the cache are read and left to the verifier to refuse. */
    static final long LOOKUP_ABOVE_BYTES = 64 * 1024;

    private final RawFormBodies rawForms;
    private final long maxBodyBytes;
    private final DeliveryInbox inbox;
    private final ObjectMapper mapper;
    private final Set<String> providers;
    private final ServiceDirectory directory;
    private final UnknownWebhooks unknown;
    private final EarlyAnswer earlyAnswer;

    public WebhookHttpGuard(RawFormBodies rawForms, long maxBodyBytes, DeliveryInbox inbox, ObjectMapper mapper,
            Set<String> providers, ServiceDirectory directory, UnknownWebhooks unknown, EarlyAnswer earlyAnswer) {
        this.rawForms = rawForms;
        this.maxBodyBytes = maxBodyBytes;
        this.inbox = inbox;
        this.mapper = mapper;
        this.providers = Set.copyOf(providers);
        this.directory = directory;
        this.unknown = unknown;
        this.earlyAnswer = earlyAnswer;
    }

    public void install(Router router) {
        // before the in-flight body budget (Integer.MIN_VALUE + 3): an unknown target reserves nothing
        router.route(PATH).order(Integer.MIN_VALUE + 2).handler(this::refuseUnknownTarget);
        router.route(PATH).order(-200).handler(this::refuseOversized);
        router.route(PATH).order(-100).handler(this::rememberFormContext);
    }

    /** POST /api/containers/webhooks/{provider}/{serviceId} for a provider or service that does not exist. */
    private void refuseUnknownTarget(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        if (request.method() != HttpMethod.POST || path == null || !path.startsWith(PREFIX)) {
            ctx.next();
            return;
        }
        String[] parts = path.substring(PREFIX.length()).split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            ctx.next();
            return;
        }
        String provider;
        String serviceId;
        try {
            provider = URIDecoder.decodeURIComponent(parts[0], false);
            serviceId = URIDecoder.decodeURIComponent(parts[1], false);
        } catch (RuntimeException e) {
            ctx.next();
            return;
        }
        Boolean exists = directory.cachedExists(serviceId);
        if (exists != null) {
            decide(ctx, provider, serviceId, exists);
            return;
        }
        if (!largeOrUnknownSize(request)) {
            ctx.next();
            return;
        }
        boolean paused = !request.isEnded();
        if (paused) {
            request.pause();
        }
        ctx.vertx().executeBlocking(() -> directory.service(serviceId).isPresent(), false).onComplete(found -> {
            if (found.failed()) {
                // the verifier looks again and answers for a store that is down
                if (paused) {
                    request.resume();
                }
                ctx.next();
            } else {
                decide(ctx, provider, serviceId, found.result());
            }
        });
    }

    private void decide(RoutingContext ctx, String provider, String serviceId, boolean serviceExists) {
        String p = provider.toLowerCase(Locale.ROOT);
        boolean knownProvider = providers.contains(p);
        if (knownProvider && serviceExists) {
            ctx.next();
            return;
        }
        String code = knownProvider ? "unknown_service" : "unknown_provider";
        String message = knownProvider ? "no service with id '" + serviceId + "'"
                : "unknown provider '" + provider + "'; use one of " + providers;
        if (serviceExists) {
            recordRefused(ctx, 404, code + ": " + message, message);
        } else {
            unknown.count(p);
        }
        earlyAnswer.send(ctx, 404, ApiError.json(code, message));
    }

    private static boolean largeOrUnknownSize(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        if (length == null) {
            return !request.isEnded();
        }
        try {
            return Long.parseLong(length.trim()) > LOOKUP_ABOVE_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void refuseOversized(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBodyBytes) {
                    String message = "body is larger than " + maxBodyBytes + " bytes";
                    recordRefused(ctx, 413, "payload_too_large: " + message, message);
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
    private void recordRefused(RoutingContext ctx, int status, String error, String message) {
        String[] parts = ctx.request().path().split("/");
        ReceivedDelivery d = new ReceivedDelivery(parts.length > 4 ? parts[4].toLowerCase(Locale.ROOT) : "unknown",
                parts.length > 5 ? parts[5] : null);
        d.request(null, RequestHeaders.redactedJson(mapper, ctx.request().headers(), null));
        d.markRejected(message);
        inbox.submit(d.toRecord(status, error, 0));
    }

    static void respond(RoutingContext ctx, int status, String code, String message) {
        ApiError.end(ctx.response(), status, code, message);
    }
}
