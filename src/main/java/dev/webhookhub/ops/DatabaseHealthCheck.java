package dev.webhookhub.ops;

import dev.webhookhub.store.DeliveryInbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness and liveness depend on the store the receivers write to: each check reads one row of every table a
 * delivery is written to (with a query timeout), and the delivery inbox must not be failing its writes. A store that
 * fails (H2 closed after a fatal error, a table gone, PostgreSQL unreachable) reports DOWN until it recovers, so an
 * orchestrator stops routing traffic to the instance and restarts it, instead of every receiver answering 503.
 */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    /** The tables a delivery is written to; the check reads one row of each. */
    static final List<String> PROBES = List.of(
            "SELECT id FROM services FETCH FIRST 1 ROWS ONLY",
            "SELECT id FROM webhook_deliveries FETCH FIRST 1 ROWS ONLY",
            "SELECT delivery_id FROM webhook_delivery_payloads FETCH FIRST 1 ROWS ONLY",
            "SELECT message_id FROM idempotency_keys FETCH FIRST 1 ROWS ONLY");
    private static final int TIMEOUT_SECONDS = 2;

    private final DataSource ds;
    private final DeliveryInbox inbox;

    public DatabaseHealthCheck(DataSource ds, DeliveryInbox inbox) {
        super("hub", "database");
        this.ds = ds;
        this.inbox = inbox;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection c = ds.getConnection()) {
            for (String probe : PROBES) {
                try (PreparedStatement ps = c.prepareStatement(probe)) {
                    ps.setQueryTimeout(TIMEOUT_SECONDS);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            builder.message("database unavailable: " + firstLine(e.getMessage())).down();
            return;
        }
        Optional<String> failing = inbox == null ? Optional.empty() : inbox.failing();
        if (failing.isPresent()) {
            builder.message("delivery inbox cannot write to the store: " + firstLine(failing.get())).down();
            return;
        }
        builder.up();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
