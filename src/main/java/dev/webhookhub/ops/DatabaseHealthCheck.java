package dev.webhookhub.ops;

import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness and liveness depend on the store answering a validity check. */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    private final DataSource ds;

    public DatabaseHealthCheck(DataSource ds) {
        super("hub", "database");
        this.ds = ds;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection c = ds.getConnection()) {
            if (c.isValid(2)) {
                builder.up();
            } else {
                builder.message("database connection is not valid").down();
            }
        } catch (Exception e) {
            builder.message("database unavailable: " + e.getMessage()).down();
        }
    }
}
