package dev.webhookhub.sync;

import dev.webhookhub.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * The sync scheduler's camel-quartz component ({@code syncquartz:}): Quartz's JDBC job store (JobStoreTX, clustered)
 * on the hub's own database, whose tables come from the V15 migration. The jenkins poller keeps the default
 * in-memory {@code quartz:} component.
 */
final class QuartzJobStore {

    static final String COMPONENT = "syncquartz";

    private QuartzJobStore() {
    }

    static QuartzComponent component(DataSource ds, Database.Dialect dialect, long misfireThresholdMs) {
        String name = "hub-sync-" + Integer.toHexString(System.identityHashCode(ds));
        DBConnectionManager.getInstance().addConnectionProvider(name, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return ds.getConnection();
            }

            @Override
            public void shutdown() {
                // the hub closes its pool
            }

            @Override
            public void initialize() {
                // the pool is open
            }
        });
        Map<String, Object> p = new HashMap<>();
        p.put("org.quartz.scheduler.instanceName", "hub-sync");
        p.put("org.quartz.scheduler.instanceId", "AUTO");
        p.put("org.quartz.scheduler.skipUpdateCheck", "true");
        p.put("org.quartz.threadPool.threadCount", "2");
        p.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.put("org.quartz.jobStore.driverDelegateClass", dialect == Database.Dialect.POSTGRESQL
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        p.put("org.quartz.jobStore.dataSource", name);
        p.put("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.put("org.quartz.jobStore.isClustered", "true");
        p.put("org.quartz.jobStore.misfireThreshold", String.valueOf(misfireThresholdMs));
        QuartzComponent component = new QuartzComponent();
        component.setProperties(p);
        component.setAutoStartScheduler(false); // SyncScheduler starts it unless an operator stopped it
        return component;
    }
}
