package dev.webhookhub.ops;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.impl.health.ConsumerHealthCheck;
import org.apache.camel.impl.health.RouteHealthCheck;

/**
 * The route and consumer health checks, for the routes that are there now. Camel 4.17's own repositories keep a
 * check (and with it the route) for every route that ever existed, and its route check throws for a route removed
 * meanwhile, which fails the whole health answer (both fixed in Camel 4.23). Sync runs add and remove their
 * connector routes every run, so they are left out ({@code transientRoute}); checks of removed routes are dropped,
 * and a route removed between listing its check and running it (a sync config deleted) is reported as removed.
 */
public final class LiveRouteHealthChecks implements HealthCheckRepository {

    private record Cached(Route route, HealthCheck check) {
    }

    private final String id;
    private final CamelContext context;
    private final Predicate<String> transientRoute;
    private final BiFunction<Route, CamelContext, HealthCheck> checkOf;
    private final Map<String, Cached> checks = new ConcurrentHashMap<>();
    private boolean enabled = true;

    private LiveRouteHealthChecks(String id, CamelContext context, Predicate<String> transientRoute,
            BiFunction<Route, CamelContext, HealthCheck> checkOf) {
        this.id = id;
        this.context = context;
        this.transientRoute = transientRoute;
        this.checkOf = checkOf;
    }

    /** Replaces Camel's {@code routes} and {@code consumers} repositories in the context's health registry. */
    public static void install(CamelContext context, Predicate<String> transientRoute) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null) {
            return;
        }
        replace(registry, new LiveRouteHealthChecks("routes", context, transientRoute, (route, ctx) -> {
            RouteHealthCheck check = new RouteHealthCheck(route) {
                @Override
                protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                    unlessRemoved(route, builder, () -> super.doCall(builder, options));
                }
            };
            check.setCamelContext(ctx);
            return check;
        }));
        replace(registry, new LiveRouteHealthChecks("consumers", context, transientRoute, (route, ctx) -> {
            ConsumerHealthCheck check = new ConsumerHealthCheck(route, "consumer:" + route.getRouteId()) {
                @Override
                protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                    unlessRemoved(route, builder, () -> super.doCall(builder, options));
                }
            };
            check.setCamelContext(ctx);
            return check;
        }));
    }

    private static void replace(HealthCheckRegistry registry, LiveRouteHealthChecks live) {
        registry.getRepository(live.getId()).ifPresent(registry::unregister);
        registry.register(live);
    }

    /**
     * Runs a route's check unless the route was removed after the check was listed (a sync config deleted, say):
     * Camel 4.17's check then throws on the missing route status, which failed the whole health answer. A removed
     * route is reported up, with a message: it can no longer be down.
     */
    private static void unlessRemoved(Route route, HealthCheckResultBuilder builder, Runnable check) {
        if (!removed(route)) {
            try {
                check.run();
                return;
            } catch (NullPointerException e) {
                if (!removed(route)) {
                    throw e;
                }
            }
        }
        builder.detail("route.id", route.getId()).message("route " + route.getId() + " was removed while it was"
                + " being checked").up();
    }

    private static boolean removed(Route route) {
        return route.getCamelContext().getRouteController().getRouteStatus(route.getId()) == null;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Stream<HealthCheck> stream() {
        if (!enabled) {
            return Stream.empty();
        }
        Map<String, Route> now = new ConcurrentHashMap<>();
        for (Route r : context.getRoutes()) {
            if (r.getId() != null && !transientRoute.test(r.getId())) {
                now.put(r.getId(), r);
            }
        }
        checks.keySet().retainAll(now.keySet());
        return now.values().stream().map(route -> checks.compute(route.getId(), (routeId, cached) ->
                cached != null && cached.route() == route ? cached : new Cached(route, checkOf.apply(route, context))))
                .map(Cached::check).filter(Objects::nonNull);
    }

    /** How many checks are kept (one per current route): for tests. */
    int size() {
        return checks.size();
    }
}
