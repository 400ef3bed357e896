package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.support.service.ServiceHelper;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cron schedules of sync configs: one camel-quartz route per scheduled config ({@code sync-schedule-<id>}, on the
 * {@code syncquartz:} component whose Quartz job store is the hub's database) that queues a job when it fires.
 * Schedules survive a restart in Quartz's tables; a tick missed while the hub or the scheduler was down fires once
 * when it starts (misfire instruction: fire once now). Whether the scheduler runs is a row too.
 */
final class SyncScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);
    private static final String GROUP = "hub-sync";

    private final CamelContext context;
    private final QuartzComponent quartz;
    private final SyncConfigStore configs;
    private final SyncJobQueue queue;
    private final TimeZone zone;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final Map<String, CronSchedule> scheduled = new ConcurrentHashMap<>();
    private volatile boolean running;

    SyncScheduler(CamelContext context, QuartzComponent quartz, SyncConfigStore configs, SyncJobQueue queue,
            TimeZone zone, Clock clock, ObjectMapper mapper) {
        this.context = context;
        this.quartz = quartz;
        this.configs = configs;
        this.queue = queue;
        this.zone = zone;
        this.clock = clock;
        this.mapper = mapper;
    }

    TimeZone zone() {
        return zone;
    }

    /**
     * Before the routes start: the sync schedules paused or resumed as the operator left them, then the Quartz
     * scheduler itself, which also runs the hub's other clustered timers (so it always runs, and the routes' new
     * triggers honour their {@code triggerStartDelay}).
     */
    synchronized void startQuartz() {
        boolean wanted = queue.store().schedulerRunning();
        try {
            ServiceHelper.startService(quartz); // creates its scheduler (no-op once started)
            Scheduler s = quartz.getScheduler();
            if (wanted) {
                s.resumeTriggers(GroupMatcher.triggerGroupEquals(GROUP));
            } else {
                s.pauseTriggers(GroupMatcher.triggerGroupEquals(GROUP));
            }
            s.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler does not start: " + e.getMessage(), e);
        }
        running = wanted;
    }

    boolean quartzStarted() {
        try {
            Scheduler s = quartz.getScheduler();
            return s != null && s.isStarted() && !s.isShutdown();
        } catch (SchedulerException e) {
            return false;
        }
    }

    /** Once the hub has started: every scheduled config's route. */
    synchronized void boot() {
        for (SyncConfig c : configs.all()) {
            if (c.scheduled()) {
                add(c);
            }
        }
    }

    /**
     * Starts the sync schedules: their trigger group is resumed in Quartz's tables, so on every instance sharing the
     * database; a tick missed while stopped fires once.
     */
    synchronized void start() {
        queue.store().schedulerRunning(true);
        try {
            quartz.getScheduler().resumeTriggers(GroupMatcher.triggerGroupEquals(GROUP));
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler does not start: " + e.getMessage(), e);
        }
        running = true;
    }

    /** Stops the sync schedules on every instance (their trigger group is paused); the hub's own timers go on. */
    synchronized void stop() {
        queue.store().schedulerRunning(false);
        try {
            quartz.getScheduler().pauseTriggers(GroupMatcher.triggerGroupEquals(GROUP));
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler does not stop: " + e.getMessage(), e);
        }
        running = false;
    }

    /** Whether the sync schedules run: the row, so a start or stop made on another instance shows here too. */
    boolean running() {
        try {
            running = queue.store().schedulerRunning();
        } catch (RuntimeException e) {
            LOG.debug("scheduler state unreadable, showing the last known: {}", e.getMessage());
        }
        return running;
    }

    /** Brings the config's schedule in line with its row (after a create, update, delete, schedule, unschedule). */
    synchronized void refresh(String configId) {
        if (scheduled.remove(configId) != null) {
            removeRoute(configId);
        }
        try {
            Scheduler s = quartz.getScheduler();
            Trigger t = s.getTrigger(new TriggerKey(configId, GROUP));
            if (t != null) {
                s.deleteJob(t.getJobKey());
            }
        } catch (SchedulerException e) {
            LOG.warn("cannot delete the schedule of sync config {}: {}", configId, e.getMessage());
        }
        configs.get(configId).filter(SyncConfig::scheduled).ifPresent(this::add);
    }

    Instant nextRun(SyncConfig c) {
        return c.scheduled() ? CronSchedule.parse(c.scheduleCron(), zone).nextAfter(clock.instant()) : null;
    }

    ObjectNode view() {
        ObjectNode s = mapper.createObjectNode();
        boolean on = running();
        s.put("isRunning", on);
        s.put("jobCount", scheduled.size());
        s.put("timeZone", zone.getID());
        ArrayNode jobs = s.putArray("jobs");
        for (Map.Entry<String, CronSchedule> e : scheduled.entrySet()) {
            ObjectNode j = jobs.addObject();
            j.put("configId", e.getKey());
            configs.get(e.getKey()).ifPresent(c -> j.put("name", c.name()));
            j.put("cron", e.getValue().cron());
            j.put("isRunning", on);
            Instant next = null;
            try {
                Trigger t = quartz.getScheduler().getTrigger(new TriggerKey(e.getKey(), GROUP));
                next = t == null || t.getNextFireTime() == null ? null : t.getNextFireTime().toInstant();
            } catch (SchedulerException ex) {
                next = e.getValue().nextAfter(clock.instant());
            }
            if (next == null) {
                j.putNull("nextRunAt");
            } else {
                j.put("nextRunAt", next.toEpochMilli());
            }
        }
        return s;
    }

    private void add(SyncConfig c) {
        CronSchedule cron;
        try {
            cron = CronSchedule.parse(c.scheduleCron(), zone);
        } catch (RuntimeException e) {
            LOG.warn("sync config {}: schedule '{}' is not valid; not scheduled", c.id(), c.scheduleCron());
            return;
        }
        String id = c.id();
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(QuartzJobStore.COMPONENT + "://" + GROUP + "/" + id + "?cron="
                            + cron.quartz().replace(' ', '+') + "&trigger.timeZone=" + zone.getID()
                            + "&trigger.misfireInstruction=" + CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW
                            + "&deleteJob=false&stateful=true&usingFixedCamelContextName=true")
                            .routeId(routeId(id))
                            .process(e -> fire(id));
                }
            });
        } catch (Exception e) {
            LOG.error("sync config {}: cannot schedule", id, e);
            return;
        }
        scheduled.put(id, cron);
    }

    private void fire(String configId) {
        configs.markScheduled(configId, clock.instant());
        try {
            queue.enqueue(configId, SyncConfig.SCHEDULED, null, false);
        } catch (SyncJobQueue.QueueFullException e) {
            LOG.warn("sync config {}: scheduled run skipped: {}", configId, e.getMessage());
        }
    }

    private void removeRoute(String configId) {
        try {
            Connectors.removeRoute(context, routeId(configId));
        } catch (Exception e) {
            LOG.warn("cannot remove the schedule of sync config {}: {}", configId, e.getMessage());
        }
    }

    private static String routeId(String configId) {
        return "sync-schedule-" + configId;
    }
}
