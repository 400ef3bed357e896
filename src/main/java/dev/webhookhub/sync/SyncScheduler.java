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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cron schedules of sync configs: one camel-quartz route per scheduled config ({@code sync-schedule-<id>}) that
 * queues a job when it fires. The schedules are the configs' rows, and whether the scheduler runs is a row too, so
 * both survive a restart; a tick missed while the hub (or the scheduler) was down runs once when it starts.
 */
final class SyncScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    private final CamelContext context;
    private final SyncConfigStore configs;
    private final SyncJobQueue queue;
    private final TimeZone zone;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final Map<String, CronSchedule> scheduled = new ConcurrentHashMap<>();
    private volatile boolean running;

    SyncScheduler(CamelContext context, SyncConfigStore configs, SyncJobQueue queue, TimeZone zone, Clock clock,
            ObjectMapper mapper) {
        this.context = context;
        this.configs = configs;
        this.queue = queue;
        this.zone = zone;
        this.clock = clock;
        this.mapper = mapper;
    }

    TimeZone zone() {
        return zone;
    }

    /** At hub start: the saved state, then every scheduled config. */
    synchronized void boot() {
        if (queue.store().schedulerRunning()) {
            start();
        }
    }

    synchronized void start() {
        queue.store().schedulerRunning(true);
        running = true;
        for (SyncConfig c : configs.all()) {
            if (c.scheduled()) {
                add(c, true);
            }
        }
    }

    synchronized void stop() {
        queue.store().schedulerRunning(false);
        running = false;
        for (String id : scheduled.keySet()) {
            removeRoute(id);
        }
        scheduled.clear();
    }

    boolean running() {
        return running;
    }

    /** Brings the config's schedule in line with its row (after a create, update, delete, schedule, unschedule). */
    synchronized void refresh(String configId) {
        if (scheduled.remove(configId) != null) {
            removeRoute(configId);
        }
        if (running) {
            configs.get(configId).filter(SyncConfig::scheduled).ifPresent(c -> add(c, false));
        }
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
        Instant now = clock.instant();
        for (Map.Entry<String, CronSchedule> e : scheduled.entrySet()) {
            ObjectNode j = jobs.addObject();
            j.put("configId", e.getKey());
            configs.get(e.getKey()).ifPresent(c -> j.put("name", c.name()));
            j.put("cron", e.getValue().cron());
            j.put("isRunning", running);
            Instant next = e.getValue().nextAfter(now);
            if (next == null) {
                j.putNull("nextRunAt");
            } else {
                j.put("nextRunAt", next.toEpochMilli());
            }
        }
        return s;
    }

    private void add(SyncConfig c, boolean catchUp) {
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
                    from("quartz://hub-sync/" + id + "?cron=" + cron.quartz().replace(' ', '+')
                            + "&trigger.timeZone=" + zone.getID())
                            .routeId(routeId(id))
                            .process(e -> fire(id));
                }
            });
        } catch (Exception e) {
            LOG.error("sync config {}: cannot schedule", id, e);
            return;
        }
        scheduled.put(id, cron);
        if (catchUp) {
            Instant last = c.lastScheduledAt() != null ? c.lastScheduledAt() : c.updatedAt();
            Instant due = cron.nextAfter(last);
            if (due != null && due.isBefore(clock.instant())) {
                LOG.info("sync config {}: a scheduled run was missed at {}; running it once now", id, due);
                fire(id);
            }
        }
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
