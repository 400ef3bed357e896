package dev.webhookhub.http;

import dev.webhookhub.api.ApiError;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limits of the hub's HTTP edge, from the {@code hub.http.*} settings: the in-flight body budget, the request-read
 * timeout and the connection idle timeout. Built while the hub is configured (the idle timeout goes into the Vert.x
 * options), installed on the router once the HTTP server runs.
 */
public final class HttpEdge {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEdge.class);
    public static final String INFLIGHT_GAUGE = "hub.http.inflight.body.bytes";

    private final BodyBudget budget;
    private final RequestBodyLimits limits;
    private final EarlyAnswer earlyAnswer;
    private final MalformedRequestLog malformed = new MalformedRequestLog(60_000);

    private HttpEdge(BodyBudget budget, RequestBodyLimits limits, EarlyAnswer earlyAnswer) {
        this.budget = budget;
        this.limits = limits;
        this.earlyAnswer = earlyAnswer;
    }

    public static HttpEdge configure(CamelContext context, VertxOptions vertxOptions) {
        BodyBudget budget = new BodyBudget(Long.parseLong(setting(context, "hub.http.max-inflight-body-bytes",
                "67108864")));
        long maxBody = Long.parseLong(setting(context, "camel.server.max-body-size", "26214400"));
        long readTimeoutMillis = Long.parseLong(setting(context, "hub.http.request-read-timeout-seconds", "30"))
                * 1000L;
        int retryAfter = Integer.parseInt(setting(context, "hub.http.busy-retry-after-seconds", "5"));
        if (budget.limit() < maxBody) {
            LOG.warn("hub.http.max-inflight-body-bytes ({}) is below camel.server.max-body-size ({}): bodies between "
                    + "the two are always refused with 503", budget.limit(), maxBody);
        }
        ServerIdleTimeout.apply(vertxOptions, Integer.parseInt(setting(context, "hub.http.idle-timeout-seconds",
                "60")));
        EarlyAnswer earlyAnswer = new EarlyAnswer(Long.parseLong(setting(context,
                "hub.http.early-answer-drain-bytes", "1048576")), readTimeoutMillis);
        return new HttpEdge(budget, new RequestBodyLimits(budget, maxBody, readTimeoutMillis, retryAfter,
                earlyAnswer), earlyAnswer);
    }

    /** How requests answered before their body was read are answered (for the other handlers that do so). */
    public EarlyAnswer earlyAnswer() {
        return earlyAnswer;
    }

    /** Called from the start-up listener, with the platform-http router and Camel's metrics registry. */
    public void install(VertxPlatformHttpRouter router, MeterRegistry metrics) {
        limits.install(router);
        // a request Vert.x cannot route (a path that is not valid percent-encoding, e.g. /x%u002e) fails while the
        // main router (Camel's, in front of the routes' router) matches it: without an error handler Vert.x logs it
        // at ERROR with its stack trace and answers in plain text
        Router main = mainRouter(router);
        if (main != null) {
            main.errorHandler(400, this::answerMalformed);
        } else {
            LOG.warn("the HTTP server's main router was not found: malformed URLs are answered by Vert.x itself");
        }
        if (metrics != null) {
            Gauge.builder(INFLIGHT_GAUGE, budget, BodyBudget::inFlight).baseUnit("bytes")
                    .description("bytes of request bodies the hub holds or has reserved right now")
                    .register(metrics);
        }
    }

    private static Router mainRouter(VertxPlatformHttpRouter router) {
        VertxPlatformHttpServer server = router.getServer();
        HttpServer http = server == null ? null : server.getServer();
        return http != null && http.requestHandler() instanceof Router r ? r : null;
    }

    private void answerMalformed(RoutingContext ctx) {
        malformed.refused(ctx.request().method().name(), ctx.request().uri(), ctx.failure());
        if (!ctx.response().ended() && !ctx.response().headWritten() && !ctx.response().closed()) {
            ApiError.end(ctx.response(), 400, "bad_request", "the request URL could not be read");
        }
    }

    public BodyBudget budget() {
        return budget;
    }

    private static String setting(CamelContext context, String key, String defaultValue) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).filter(s -> !s.isEmpty())
                .orElse(defaultValue);
    }
}
