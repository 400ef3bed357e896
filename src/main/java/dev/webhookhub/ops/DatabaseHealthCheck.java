package dev.webhookhub.ops;

import dev.webhookhub.deliveries.DeliveryInbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness and liveness depend on the store the receivers write to: each check reads one row of every table a
 * delivery is written to (with a query timeout), and the delivery inbox must not be failing its writes. A store that
 * fails (H2 closed after a fatal error, a table gone, PostgreSQL unreachable) reports DOWN until it recovers, so an
 * orchestrator stops routing traffic to the instance and restarts it, instead of every receiver answering 503.
 * A store that does not answer at all (PostgreSQL gone, the pool waiting for a connection) is DOWN after 3 s:
 * the probe runs on its own thread and the check does not wait for the pool's connection timeout.
 */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    /** The tables a delivery is written to; the check reads one row of each. */
    static final List<String> PROBES = List.of(
            "SELECT id FROM services FETCH FIRST 1 ROWS ONLY",
            "SELECT id FROM webhook_deliveries FETCH FIRST 1 ROWS ONLY",
            "SELECT delivery_id FROM webhook_delivery_payloads FETCH FIRST 1 ROWS ONLY",
            "SELECT message_id FROM idempotency_keys FETCH FIRST 1 ROWS ONLY");
    private static final int TIMEOUT_SECONDS = 2;
    /** How long a check waits for the probe, connection included (the pool may wait far longer for one). */
    private static final long ANSWER_WITHIN_MS = 3000;

    private final DataSource ds;
    private final DeliveryInbox inbox;
    /** One probe at a time, on its own thread, so a check never waits for the pool's connection timeout. */
    private final ThreadPoolExecutor prober;
    private Future<String> probe;

    public DatabaseHealthCheck(DataSource ds, DeliveryInbox inbox) {
        super("hub", "database");
        this.ds = ds;
        this.inbox = inbox;
        this.prober = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "database-health-probe");
            t.setDaemon(true);
            return t;
        });
        this.prober.allowCoreThreadTimeOut(true);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Future<String> f;
        synchronized (this) {
            if (probe == null || probe.isDone()) {
                probe = prober.submit(this::probe); // a probe still waiting for the store is not doubled
            }
            f = probe;
        }
        String error;
        try {
            error = f.get(ANSWER_WITHIN_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            error = "no answer within " + ANSWER_WITHIN_MS + " ms";
        } catch (ExecutionException e) {
            error = String.valueOf(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        if (error != null) {
            builder.message("database unavailable: " + firstLine(error)).down();
            return;
        }
        Optional<String> failing = inbox == null ? Optional.empty() : inbox.failing();
        if (failing.isPresent()) {
            builder.message("delivery inbox cannot write to the store: " + firstLine(failing.get())).down();
            return;
        }
        builder.up();
    }

    /** Reads the probes; null when every one answered, else the failure. */
    private String probe() {
        try (Connection c = ds.getConnection()) {
            for (String probe : PROBES) {
                try (PreparedStatement ps = c.prepareStatement(probe)) {
                    ps.setQueryTimeout(TIMEOUT_SECONDS);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                    }
                }
            }
            return null;
        } catch (SQLException | RuntimeException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
