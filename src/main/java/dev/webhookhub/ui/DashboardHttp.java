package dev.webhookhub.ui;

import dev.webhookhub.api.ApiError;
import dev.webhookhub.security.AdminToken;
import io.vertx.core.Context;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The dashboard on the hub's own port: {@code /} redirects to {@code /ui/}, {@code /ui/*} serves the files under
 * {@code ui/} on the classpath (inside the jar; they hold no data, so they need no token), with security headers;
 * {@code POST /api/events/ticket} trades the admin token for a one-time stream ticket and
 * {@code GET /api/events/stream?ticket=} is the live stream of the hub's bus events (server-sent events).
 * Installed on the Vert.x router before the JSON 404 catch-all.
 */
public final class DashboardHttp {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    private static final int ORDER = -400;

    private final AdminToken token;
    private final StreamTickets tickets;
    private final LiveEvents live;
    private final long heartbeatMillis;

    public DashboardHttp(AdminToken token, StreamTickets tickets, LiveEvents live, long heartbeatMillis) {
        this.token = token;
        this.tickets = tickets;
        this.live = live;
        this.heartbeatMillis = heartbeatMillis;
    }

    public void install(Router router) {
        router.route("/").order(ORDER).handler(ctx -> redirect(ctx, "/ui/"));
        router.route("/ui").order(ORDER).handler(ctx -> {
            if ("/ui".equals(ctx.request().path())) {
                redirect(ctx, "/ui/");
            } else {
                ctx.next();
            }
        });
        router.route("/ui/*").order(ORDER).handler(DashboardHttp::securityHeaders);
        router.route("/ui/*").order(ORDER + 1).handler(StaticHandler.create("ui")
                .setIndexPage("index.html").setDirectoryListing(false).setIncludeHidden(false)
                .setDefaultContentEncoding("UTF-8").setMaxAgeSeconds(60));
        router.route(HttpMethod.POST, "/api/events/ticket").order(ORDER).handler(this::ticket);
        router.route(HttpMethod.GET, "/api/events/stream").order(ORDER).handler(this::stream);
    }

    private static void redirect(RoutingContext ctx, String to) {
        if (ctx.request().method() != HttpMethod.GET && ctx.request().method() != HttpMethod.HEAD) {
            ctx.next();
            return;
        }
        securityHeaders(ctx.response());
        ctx.response().setStatusCode(302).putHeader("Location", to).end();
    }

    private static void securityHeaders(RoutingContext ctx) {
        securityHeaders(ctx.response());
        ctx.next();
    }

    private static void securityHeaders(HttpServerResponse r) {
        r.putHeader("Content-Security-Policy", CSP);
        r.putHeader("X-Content-Type-Options", "nosniff");
        r.putHeader("Referrer-Policy", "no-referrer");
        r.putHeader("X-Frame-Options", "DENY");
    }

    private void ticket(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null) {
            error(ctx, 401, "unauthorized", "Authorization: Bearer <admin token> is required");
            return;
        }
        if (!token.accepts(header)) {
            error(ctx, 401, "unauthorized", "the admin token is not valid");
            return;
        }
        String ticket = tickets.issue();
        if (ticket == null) {
            error(ctx, 429, "too_many_tickets", "too many unused stream tickets; retry in a minute");
            return;
        }
        HttpServerResponse r = ctx.response();
        securityHeaders(r);
        r.setStatusCode(200).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end("{\"success\":true,\"ticket\":\"" + ticket + "\",\"expires_in_seconds\":"
                        + tickets.validity().toSeconds() + "}");
    }

    private void stream(RoutingContext ctx) {
        if (!tickets.redeem(ctx.request().getParam("ticket"))) {
            error(ctx, 401, "invalid_ticket",
                    "the stream needs a ticket from POST /api/events/ticket, used once within a minute");
            return;
        }
        HttpServerResponse r = ctx.response();
        Context context = ctx.vertx().getOrCreateContext();
        LiveEvents.Stream s = live.open(LiveEvents.sink(r, context));
        if (s == null) {
            error(ctx, 503, "too_many_streams", "too many live streams are open; the page falls back to polling");
            return;
        }
        securityHeaders(r);
        r.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
        r.setWriteQueueMaxSize(256 * 1024);
        r.write("retry: 3000\n\nevent: ready\ndata: {}\n\n");
        long timer = ctx.vertx().setPeriodic(heartbeatMillis, id -> {
            if (!r.closed() && !r.ended()) {
                r.write(": ping\n\n");
            }
        });
        Runnable done = () -> {
            ctx.vertx().cancelTimer(timer);
            live.closed(s);
        };
        r.closeHandler(v -> done.run());
        r.endHandler(v -> done.run());
        r.exceptionHandler(e -> done.run());
    }

    private static void error(RoutingContext ctx, int status, String code, String message) {
        HttpServerResponse r = ctx.response();
        securityHeaders(r);
        ApiError.end(r, status, code, message);
    }
}
