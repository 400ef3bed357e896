package dev.webhookhub.sync;

import dev.webhookhub.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SchedulerFactory;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * The hub's clustered camel-quartz component ({@code syncquartz:}): Quartz's JDBC job store (JobStoreTX, clustered)
 * on the hub's own database, whose tables come from the V15 migration. Every timer that must fire on one instance
 * only uses it: the sync schedules (group {@code hub-sync}, see {@link SyncScheduler}) and the hub's own periodic
 * jobs (group {@code hub}: Jenkins poll, retention, recovery sweep, pipeline run events). Instances sharing the
 * database share the schedules; each tick fires on one of them, and a stopped instance's ticks fire on the others.
 */
final class QuartzJobStore {

    static final String COMPONENT = "syncquartz";
    /** Quartz's scheduler name: instances with the same name on one database form one cluster. */
    static final String SCHEDULER_NAME = "hub-sync";

    private static final Object CREATE_LOCK = new Object();

    private QuartzJobStore() {
    }

    /**
     * The component, whose scheduler runs no job until {@link StartGatedThreadPool#open} is called with
     * {@code gate} (once the hub has started).
     */
    static QuartzComponent component(CamelContext context, DataSource ds, Database.Dialect dialect,
            long misfireThresholdMs, String instanceId, int threads, long clusterCheckinMs, String gate) {
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
        Properties p = new Properties();
        p.put("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.put("org.quartz.scheduler.instanceId", instanceId);
        p.put("org.quartz.scheduler.skipUpdateCheck", "true");
        p.put("org.quartz.threadPool.class", StartGatedThreadPool.class.getName());
        p.put("org.quartz.threadPool.threadCount", String.valueOf(Math.max(2, threads)));
        p.put("org.quartz.threadPool.gate", gate);
        StartGatedThreadPool.close(gate);
        p.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.put("org.quartz.jobStore.driverDelegateClass", dialect == Database.Dialect.POSTGRESQL
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        p.put("org.quartz.jobStore.dataSource", name);
        p.put("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.put("org.quartz.jobStore.isClustered", "true");
        p.put("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(Math.max(1000, clusterCheckinMs)));
        p.put("org.quartz.jobStore.misfireThreshold", String.valueOf(misfireThresholdMs));
        QuartzComponent component = new QuartzComponent();
        component.setSchedulerFactory(new OwnScheduler(p, context));
        component.setAutoStartScheduler(false); // SyncWiring starts it once the hub has started
        return component;
    }

    /**
     * One scheduler per hub, even when several hubs run in one JVM (tests, the cluster benchmark): every instance
     * must use the same scheduler name to join the cluster, and Quartz's JVM-wide repository would otherwise hand
     * the second hub the first hub's scheduler. The scheduler is taken out of that repository once created. Jobs
     * find the Camel context under its name as well as its management name, so a job scheduled by another instance
     * (whose management name may differ) runs here.
     */
    private static final class OwnScheduler implements SchedulerFactory {

        private final Properties properties;
        private final CamelContext context;
        private Scheduler scheduler;

        OwnScheduler(Properties properties, CamelContext context) {
            this.properties = properties;
            this.context = context;
        }

        @Override
        public synchronized Scheduler getScheduler() throws SchedulerException {
            if (scheduler == null || scheduler.isShutdown()) {
                synchronized (CREATE_LOCK) {
                    SchedulerRepository repository = SchedulerRepository.getInstance();
                    Scheduler other = repository.lookup(SCHEDULER_NAME);
                    if (other != null) {
                        repository.remove(SCHEDULER_NAME); // another hub's: it keeps running, unlisted
                    }
                    scheduler = new StdSchedulerFactory(properties).getScheduler();
                    repository.remove(SCHEDULER_NAME);
                }
                scheduler.getContext().put("CamelQuartzCamelContext-" + context.getName(), context);
            }
            return scheduler;
        }

        @Override
        public Scheduler getScheduler(String schedName) throws SchedulerException {
            return SCHEDULER_NAME.equals(schedName) ? getScheduler() : null;
        }

        @Override
        public Collection<Scheduler> getAllSchedulers() throws SchedulerException {
            return List.of(getScheduler());
        }
    }
}
