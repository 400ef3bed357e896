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
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
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

    /** At hub start: every scheduled config's route, then the scheduler itself unless an operator stopped it. */
    synchronized void boot() {
        for (SyncConfig c : configs.all()) {
            if (c.scheduled()) {
                add(c);
            }
        }
        if (queue.store().schedulerRunning()) {
            start();
        }
    }

    synchronized void start() {
        queue.store().schedulerRunning(true);
        try {
            quartz.getScheduler().start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler does not start: " + e.getMessage(), e);
        }
        running = true;
    }

    synchronized void stop() {
        queue.store().schedulerRunning(false);
        try {
            quartz.getScheduler().standby();
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler does not stop: " + e.getMessage(), e);
        }
        running = false;
    }

    boolean running() {
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
        s.put("isRunning", running);
        s.put("jobCount", scheduled.size());
        s.put("timeZone", zone.getID());
        ArrayNode jobs = s.putArray("jobs");
        for (Map.Entry<String, CronSchedule> e : scheduled.entrySet()) {
            ObjectNode j = jobs.addObject();
            j.put("configId", e.getKey());
            configs.get(e.getKey()).ifPresent(c -> j.put("name", c.name()));
            j.put("cron", e.getValue().cron());
            j.put("isRunning", running);
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
                            + "&deleteJob=false&stateful=true")
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
            context.getRouteController().stopRoute(routeId(configId));
            context.removeRoute(routeId(configId));
        } catch (Exception e) {
            LOG.warn("cannot remove the schedule of sync config {}: {}", configId, e.getMessage());
        }
    }

    private static String routeId(String configId) {
        return "sync-schedule-" + configId;
    }
}
