package dev.webhookhub.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;

/**
 * The limits of the hub's HTTP edge, from the {@code hub.http.*} settings: the in-flight body budget, the request-read
 * timeout and the connection idle timeout. Built while the hub is configured (the idle timeout goes into the Vert.x
 * options), installed on the router once the HTTP server runs.
 */
public final class HttpEdge {

    public static final String INFLIGHT_GAUGE = "hub.http.inflight.body.bytes";

    private final BodyBudget budget;
    private final RequestBodyLimits limits;

    private HttpEdge(BodyBudget budget, RequestBodyLimits limits) {
        this.budget = budget;
        this.limits = limits;
    }

    public static HttpEdge configure(CamelContext context, VertxOptions vertxOptions) {
        BodyBudget budget = new BodyBudget(Long.parseLong(setting(context, "hub.http.max-inflight-body-bytes",
                "67108864")));
        long maxBody = Long.parseLong(setting(context, "camel.server.max-body-size", "26214400"));
        long readTimeoutMillis = Long.parseLong(setting(context, "hub.http.request-read-timeout-seconds", "30"))
                * 1000L;
        int retryAfter = Integer.parseInt(setting(context, "hub.http.busy-retry-after-seconds", "5"));
        ServerIdleTimeout.apply(vertxOptions, Integer.parseInt(setting(context, "hub.http.idle-timeout-seconds",
                "60")));
        return new HttpEdge(budget, new RequestBodyLimits(budget, maxBody, readTimeoutMillis, retryAfter));
    }

    /** Called from the start-up listener, with the platform-http router and Camel's metrics registry. */
    public void install(Router router, MeterRegistry metrics) {
        limits.install(router);
        if (metrics != null) {
            Gauge.builder(INFLIGHT_GAUGE, budget, BodyBudget::inFlight).baseUnit("bytes")
                    .description("bytes of request bodies the hub holds or has reserved right now")
                    .register(metrics);
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
