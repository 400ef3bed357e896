package dev.webhookhub.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.security.AdminToken;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;

/**
 * Wires the dashboard: the live-events fan-out (bound as {@code dashboardLiveEvents} for
 * routes/dashboard-live.yaml), the overview API, and the HTTP handlers the caller installs on the Vert.x router
 * once it exists.
 */
public final class DashboardWiring {

    private DashboardWiring() {
    }

    public static DashboardHttp install(CamelContext context, DataSource ds, ObjectMapper mapper, AdminToken token,
            AdminAuth auth, EventBus events) throws Exception {
        LiveEvents live = new LiveEvents(mapper, setting(context, "hub.ui.max-streams", 1, 10_000),
                setting(context, "hub.ui.stream-buffer-events", 1, 100_000));
        context.getRegistry().bind("dashboardLiveEvents", live);
        // the live route's filter, once per bus event (a ref-language predicate: no exchange copy per call)
        context.getRegistry().bind("liveStreamsOpen", (Predicate) e -> live.openStreams() > 0);
        context.addRoutes(new DashboardApiRoutes(auth, new OperationsOverview(context, ds, mapper, events, live)));
        StreamTickets tickets = new StreamTickets(
                Duration.ofSeconds(setting(context, "hub.ui.ticket-seconds", 5, 3600)), 1000, Clock.systemUTC());
        return new DashboardHttp(token, tickets, live, setting(context, "hub.ui.heartbeat-ms", 100, 600_000));
    }

    private static int setting(CamelContext context, String key, int min, int max) {
        String raw = context.resolvePropertyPlaceholders("{{" + key + "}}").trim();
        int v;
        try {
            v = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + raw + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + v);
        }
        return v;
    }
}
