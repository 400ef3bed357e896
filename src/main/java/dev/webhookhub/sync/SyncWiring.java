package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.jenkins.JenkinsClient;
import dev.webhookhub.outbound.OutboundApi;
import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.outbound.OutboundStore;
import dev.webhookhub.pipelines.PipelineRunStore;
import dev.webhookhub.security.DestinationPolicy;
import dev.webhookhub.security.OwnerOnlyFiles;
import dev.webhookhub.security.SecretCipher;
import dev.webhookhub.store.Database;
import dev.webhookhub.store.StoreFlush;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds sync jobs from the {@code hub.jobs.*}, {@code hub.sync.*} and {@code hub.retention.*} settings: binds
 * {@code syncJobQueue} (the entry point other parts queue syncs through), {@code syncRetention} and the connector
 * helpers the templates in routes/connectors/ call, adds the admin API, and at start marks jobs a stopped hub left
 * running as interrupted and starts the scheduler if it was running.
 */
public final class SyncWiring {

    private static final Logger LOG = LoggerFactory.getLogger(SyncWiring.class);

    private SyncWiring() {
    }

    public static SyncJobQueue install(CamelContext context, DataSource ds, ObjectMapper mapper, SecretCipher cipher,
            StoreFlush flush, AdminAuth auth, EventBus events, OutboundPublisher outbound, Database.Dialect dialect) throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        int maxConcurrent = Math.max(1, Integer.parseInt(get(pc, "hub.jobs.max-concurrent", "3")));
        int maxQueued = Math.max(1, Integer.parseInt(get(pc, "hub.jobs.max-queued", "1000")));
        int history = Math.max(0, Integer.parseInt(get(pc, "hub.jobs.completed-history", "100")));
        Duration lease = Duration.ofMillis(Math.max(1000, Long.parseLong(get(pc, "hub.jobs.lease-ms", "30000"))));
        int itemCap = Math.max(0, Integer.parseInt(get(pc, "hub.sync.item-results-cap", "500")));
        TimeZone zone = TimeZone.getTimeZone(get(pc, "hub.sync.time-zone", "UTC"));
        int retentionDays = Math.max(1, Integer.parseInt(get(pc, "hub.retention.days", "30")));
        int retentionBatch = Math.max(1, Integer.parseInt(get(pc, "hub.retention.batch-size", "500")));

        SyncConfigStore configs = new SyncConfigStore(ds, flush, mapper);
        SyncExecutionStore executions = new SyncExecutionStore(ds, flush);
        SyncJobStore jobs = new SyncJobStore(ds, flush, mapper);
        Connectors connectors = new Connectors(context,
                registry.lookupByNameAndType("outboundDestinationPolicy", DestinationPolicy.class));
        SettingSecrets secrets = new SettingSecrets(cipher);
        SyncRunner runner = new SyncRunner(configs, executions, connectors, secrets, context.createProducerTemplate(),
                events, mapper, itemCap, clock);
        ExecutorService pool = context.getExecutorServiceManager().newFixedThreadPool(SyncWiring.class, "sync-job",
                maxConcurrent);
        SyncJobQueue queue = new SyncJobQueue(jobs, runner, pool, mapper, maxConcurrent, maxQueued, history, lease, clock);
        queue.startedWhen(() -> context.getStatus().isStarted());
        String gate = "hub-sync-gate-" + UUID.randomUUID();
        QuartzComponent quartz = QuartzJobStore.component(context, ds, dialect,
                Long.parseLong(get(pc, "hub.sync.misfire-threshold-ms", "60000")), instanceId(pc),
                Integer.parseInt(get(pc, "hub.cluster.quartz-threads", "4")),
                Long.parseLong(get(pc, "hub.cluster.checkin-interval-ms", "7500")), gate);
        context.addComponent(QuartzJobStore.COMPONENT, quartz);
        SyncScheduler scheduler = new SyncScheduler(context, quartz, configs, queue, zone, clock, mapper);
        SyncRetention retention = new SyncRetention(jobs, executions, mapper, retentionDays, retentionBatch, clock);

        OutboundStore outboundStore = registry.lookupByNameAndType("outboundStore", OutboundStore.class);
        registry.bind("syncJobQueue", queue);
        registry.bind("syncConfigStore", configs);
        registry.bind("syncRetention", retention);
        registry.bind("syncHttpJson", new HttpJsonConnector(mapper));
        registry.bind("syncSqlTarget", new SqlTargetConnector(mapper));
        registry.bind("syncSqlSource", new SqlSourceConnector(mapper));
        registry.bind("syncPipelineRuns", new PipelineRunsConnector(
                registry.lookupByNameAndType("pipelineRunStore", PipelineRunStore.class), mapper));
        registry.bind("syncJenkins", new JenkinsConnector(
                registry.lookupByNameAndType("jenkinsClient", JenkinsClient.class), get(pc, "hub.jenkins.url", ""),
                mapper));
        registry.bind("syncWebhookTarget", new WebhookTargetConnector(
                new OutboundApi(mapper, outboundStore, cipher, Duration.ZERO, clock,
                        registry.lookupByNameAndType("outboundDestinationPolicy", DestinationPolicy.class)), outbound));
        context.addRoutes(new SyncApiRoutes(auth, new SyncApi(mapper, configs, executions, connectors, secrets, queue,
                scheduler, retention, clock)));

        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                if (alreadyStarted) {
                    return;
                }
                // routes added while the context is still starting do not start: the schedules' routes are added
                // once it has started
                ExecutorService boot = ctx.getExecutorServiceManager().newSingleThreadExecutor(SyncWiring.class,
                        "sync-scheduler-boot");
                boot.execute(() -> {
                    long until = System.nanoTime() + 120_000_000_000L;
                    while (!ctx.getStatus().isStarted() && System.nanoTime() < until) {
                        if (ctx.getStatus().isStopping() || ctx.getStatus().isStopped()) {
                            return;
                        }
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    try {
                        scheduler.boot();
                        LOG.info("sync jobs: at most {} at once, {} waiting; connectors: sources {}, targets {}; "
                                + "scheduler {}", maxConcurrent, maxQueued, connectors.types(Connectors.SOURCE),
                                connectors.types(Connectors.TARGET), scheduler.running() ? "running" : "stopped");
                    } catch (RuntimeException e) {
                        LOG.error("sync scheduler: cannot start", e);
                    }
                    ctx.getExecutorServiceManager().shutdown(boot);
                });
            }
        });
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStartedEvent) {
                    StartGatedThreadPool.open(gate); // every route is there now: jobs may run
                    if (!scheduler.quartzStarted()) {
                        try {
                            scheduler.startQuartz(); // it failed before the routes started: one more try
                        } catch (RuntimeException e) {
                            LOG.error("clustered scheduler (sync schedules, Jenkins poll, retention, recovery): "
                                    + "cannot start", e);
                        }
                    }
                } else if (event instanceof CamelEvent.CamelContextRoutesStartingEvent) {
                    try {
                        scheduler.startQuartz();
                    } catch (RuntimeException e) {
                        LOG.error("clustered scheduler (sync schedules, Jenkins poll, retention, recovery): cannot "
                                + "start", e);
                    }
                } else if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    queue.close();
                }
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent
                        || event instanceof CamelEvent.CamelContextRoutesStartingEvent
                        || event instanceof CamelEvent.CamelContextStartedEvent;
            }
        });
        return queue;
    }

    /** Quartz's instance id in the cluster: the hub's instance id (HUB_INSTANCE_ID, else kept in the data dir). */
    private static String instanceId(PropertiesComponent pc) {
        String configured = get(pc, "hub.deploy.instance-id", "").strip();
        if (!configured.isEmpty()) {
            return configured;
        }
        return OwnerOnlyFiles.readOrCreate(Path.of(get(pc, "hub.data-dir", "data")).resolve("instance-id"),
                () -> UUID.randomUUID().toString());
    }

    private static String get(PropertiesComponent pc, String key, String defaultValue) {
        return pc.resolveProperty(key).filter(v -> !v.isBlank()).orElse(defaultValue);
    }

    /** The connector routes a sync run adds and removes again (left out of the route health checks). */
    public static boolean isRunRoute(String routeId) {
        return routeId.startsWith(SyncRunner.RUN_ROUTE_PREFIX);
    }
}
