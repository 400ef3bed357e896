package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import dev.webhookhub.api.Requests;
import dev.webhookhub.store.TimeOrderedIds;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;

/** Handlers of the sync admin API: configs, the job queue, execution history and the scheduler. */
final class SyncApi {

    private static final Set<String> FIELDS = Set.of("name", "source", "target", "mapping", "trigger_type",
            "schedule_cron", "is_active");
    private static final Set<String> TRIGGERS = Set.of(SyncConfig.MANUAL, SyncConfig.SCHEDULED, SyncConfig.WEBHOOK);

    private final ObjectMapper mapper;
    private final SyncConfigStore configs;
    private final SyncExecutionStore executions;
    private final Connectors connectors;
    private final SettingSecrets secrets;
    private final SyncJobQueue queue;
    private final SyncScheduler scheduler;
    private final SyncRetention retention;
    private final Clock clock;

    SyncApi(ObjectMapper mapper, SyncConfigStore configs, SyncExecutionStore executions, Connectors connectors,
            SettingSecrets secrets, SyncJobQueue queue, SyncScheduler scheduler, SyncRetention retention,
            Clock clock) {
        this.mapper = mapper;
        this.configs = configs;
        this.executions = executions;
        this.connectors = connectors;
        this.secrets = secrets;
        this.queue = queue;
        this.scheduler = scheduler;
        this.retention = retention;
        this.clock = clock;
    }

    // ---- configs

    void list(Exchange exchange) {
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        ArrayNode list = out.putArray("configs");
        for (SyncConfig c : configs.all()) {
            list.add(view(c));
        }
        ObjectNode types = out.putObject("connectors");
        connectors.types(Connectors.SOURCE).forEach(types.putArray("sources")::add);
        connectors.types(Connectors.TARGET).forEach(types.putArray("targets")::add);
        Requests.respond(exchange, 200, out, mapper);
    }

    void get(Exchange exchange) {
        Requests.respond(exchange, 200, view(existing(exchange)), mapper);
    }

    void create(Exchange exchange) {
        ObjectNode body = Requests.jsonObject(exchange, mapper);
        SyncConfig c = parse(body, null);
        configs.insert(c);
        scheduler.refresh(c.id());
        Requests.respond(exchange, 201, view(c), mapper);
    }

    void update(Exchange exchange) {
        SyncConfig old = existing(exchange);
        ObjectNode body = Requests.jsonObject(exchange, mapper);
        SyncConfig c = parse(body, old);
        if (!configs.update(c)) {
            throw ApiError.notFound("sync config");
        }
        scheduler.refresh(c.id());
        Requests.respond(exchange, 200, view(c), mapper);
    }

    void delete(Exchange exchange) {
        SyncConfig c = existing(exchange);
        configs.delete(c.id());
        scheduler.refresh(c.id());
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
    }

    // ---- jobs and history

    void queueJob(Exchange exchange) {
        SyncConfig c = existing(exchange, "configId");
        String body = exchange.getIn().getBody(String.class);
        ObjectNode req = body == null || body.isBlank() ? mapper.createObjectNode()
                : Requests.jsonObject(exchange, mapper);
        for (Iterator<String> it = req.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!f.equals("work_item_ids") && !f.equals("dry_run")) {
                throw ApiError.badRequest("unknown_field", "unknown field '" + f + "'");
            }
        }
        List<String> ids = null;
        JsonNode w = req.get("work_item_ids");
        if (w != null && !w.isNull()) {
            if (!w.isArray() || w.size() > 10_000) {
                throw ApiError.badRequest("invalid_field", "work_item_ids must be an array of item ids");
            }
            ids = new ArrayList<>();
            for (JsonNode id : w) {
                if (!(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank() || id.asText().length() > 500) {
                    throw ApiError.badRequest("invalid_field", "work_item_ids must be an array of item ids");
                }
                ids.add(id.asText());
            }
        }
        JsonNode d = req.get("dry_run");
        if (d != null && !d.isNull() && !d.isBoolean()) {
            throw ApiError.badRequest("invalid_field", "dry_run must be true or false");
        }
        if (!c.active()) {
            throw new ApiError(409, "inactive", "the sync config is not active");
        }
        String jobId;
        try {
            jobId = queue.enqueue(c.id(), SyncConfig.MANUAL, ids, d != null && d.asBoolean());
        } catch (SyncJobQueue.QueueFullException e) {
            ApiError.write(exchange, 429, "queue_full", e.getMessage());
            exchange.getMessage().setHeader("Retry-After", "30");
            return;
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("message", "Sync job queued successfully");
        out.put("job_id", jobId);
        Requests.respond(exchange, 202, out, mapper);
    }

    void jobStatus(Exchange exchange) {
        SyncJob j = queue.store().get(Requests.pathParam(exchange, "jobId"))
                .orElseThrow(() -> ApiError.notFound("job"));
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.set("job", queue.view(j));
        Requests.respond(exchange, 200, out, mapper);
    }

    void queueStatus(Exchange exchange) {
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.set("queue", queue.queueView());
        Requests.respond(exchange, 200, out, mapper);
    }

    void history(Exchange exchange) {
        SyncConfig c = existing(exchange, "configId");
        int limit = Requests.intParam(exchange, "limit", 50, 1, 1000);
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("configId", c.id());
        ArrayNode list = out.putArray("executions");
        for (SyncExecution e : executions.history(c.id(), limit)) {
            ObjectNode n = list.addObject();
            n.put("executionId", e.id());
            n.put("configId", e.configId());
            n.put("jobId", e.jobId());
            n.put("trigger", e.trigger());
            n.put("status", e.status());
            n.put("dryRun", e.dryRun());
            n.put("total", e.total());
            n.put("created", e.created());
            n.put("updated", e.updated());
            n.put("unchanged", e.unchanged());
            n.put("errors", e.errors());
            n.set("items", Requests.storedJson(mapper, e.items()));
            n.put("error", e.error());
            n.put("startedAt", e.startedAt().toEpochMilli());
            if (e.completedAt() == null) {
                n.putNull("completedAt");
                n.putNull("durationMs");
            } else {
                n.put("completedAt", e.completedAt().toEpochMilli());
                n.put("durationMs", e.durationMs());
            }
        }
        Requests.respond(exchange, 200, out, mapper);
    }

    // ---- scheduler

    void schedulerStatus(Exchange exchange) {
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        ObjectNode s = scheduler.view();
        s.set("retention", retention.view());
        out.set("scheduler", s);
        Requests.respond(exchange, 200, out, mapper);
    }

    void schedulerStart(Exchange exchange) {
        scheduler.start();
        schedulerStatus(exchange);
    }

    void schedulerStop(Exchange exchange) {
        scheduler.stop();
        schedulerStatus(exchange);
    }

    void schedule(Exchange exchange) {
        SyncConfig old = existing(exchange, "configId");
        ObjectNode body = Requests.jsonObject(exchange, mapper);
        JsonNode cronNode = body.get("schedule_cron");
        CronSchedule cron = CronSchedule.parse(cronNode == null || !cronNode.isTextual() ? null : cronNode.asText(),
                scheduler.zone());
        SyncConfig c = new SyncConfig(old.id(), old.name(), old.sourceType(), old.sourceSettings(), old.targetType(),
                old.targetSettings(), old.mapping(), SyncConfig.SCHEDULED, cron.cron(), old.active(),
                old.lastScheduledAt(), old.createdAt(), clock.instant());
        configs.update(c);
        scheduler.refresh(c.id());
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("message", "Sync configuration scheduled successfully");
        ObjectNode next = out.putObject("next_run");
        next.put("config_id", c.id());
        next.put("schedule_cron", cron.cron());
        Instant at = cron.nextAfter(clock.instant());
        if (at == null) {
            next.putNull("next_sync_at");
        } else {
            next.put("next_sync_at", at.toEpochMilli());
        }
        next.put("scheduler_running", scheduler.running());
        Requests.respond(exchange, 200, out, mapper);
    }

    void unschedule(Exchange exchange) {
        SyncConfig old = existing(exchange, "configId");
        SyncConfig c = new SyncConfig(old.id(), old.name(), old.sourceType(), old.sourceSettings(), old.targetType(),
                old.targetSettings(), old.mapping(),
                SyncConfig.SCHEDULED.equals(old.triggerType()) ? SyncConfig.MANUAL : old.triggerType(), null,
                old.active(), old.lastScheduledAt(), old.createdAt(), clock.instant());
        configs.update(c);
        scheduler.refresh(c.id());
        ObjectNode out = mapper.createObjectNode();
        out.put("success", true);
        out.put("message", "Sync configuration unscheduled");
        Requests.respond(exchange, 200, out, mapper);
    }

    // ---- parsing and views

    private SyncConfig parse(ObjectNode body, SyncConfig old) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiError.badRequest("unknown_field", "unknown field '" + f + "'");
            }
        }
        String name = old == null || body.has("name") ? name(body.get("name")) : old.name();
        String sourceType = old == null ? null : old.sourceType();
        ObjectNode sourceSettings = old == null ? null : old.sourceSettings();
        if (old == null || body.has("source")) {
            ObjectNode s = connectors.settings(Connectors.SOURCE, body.get("source"));
            sourceType = body.get("source").get("type").asText();
            sourceSettings = secrets.seal(s, old != null && sourceType.equals(old.sourceType())
                    ? old.sourceSettings() : null);
        }
        String targetType = old == null ? null : old.targetType();
        ObjectNode targetSettings = old == null ? null : old.targetSettings();
        if (old == null || body.has("target")) {
            ObjectNode s = connectors.settings(Connectors.TARGET, body.get("target"));
            targetType = body.get("target").get("type").asText();
            targetSettings = secrets.seal(s, old != null && targetType.equals(old.targetType())
                    ? old.targetSettings() : null);
        }
        ObjectNode mapping = old == null ? null : old.mapping();
        if (body.has("mapping")) {
            JsonNode m = body.get("mapping");
            SyncMapping.compile(m, mapper);
            mapping = m == null || m.isNull() ? null : (ObjectNode) m;
        }
        String trigger = old == null ? SyncConfig.MANUAL : old.triggerType();
        if (body.has("trigger_type")) {
            JsonNode t = body.get("trigger_type");
            if (t == null || !t.isTextual() || !TRIGGERS.contains(t.asText())) {
                throw ApiError.badRequest("invalid_field", "trigger_type must be manual, scheduled or webhook");
            }
            trigger = t.asText();
        }
        String cron = old == null ? null : old.scheduleCron();
        if (body.has("schedule_cron")) {
            JsonNode c = body.get("schedule_cron");
            if (c == null || c.isNull()) {
                cron = null;
            } else {
                cron = CronSchedule.parse(c.isTextual() ? c.asText() : null, scheduler.zone()).cron();
            }
        }
        if (SyncConfig.SCHEDULED.equals(trigger) && cron == null) {
            throw ApiError.badRequest("invalid_field", "schedule_cron is required when trigger_type is scheduled");
        }
        boolean active = old == null || old.active();
        if (body.has("is_active")) {
            if (!body.get("is_active").isBoolean()) {
                throw ApiError.badRequest("invalid_field", "is_active must be true or false");
            }
            active = body.get("is_active").asBoolean();
        }
        Instant now = clock.instant();
        return new SyncConfig(old == null ? TimeOrderedIds.next() : old.id(), name, sourceType, sourceSettings,
                targetType, targetSettings, mapping, trigger, cron, active, old == null ? null : old.lastScheduledAt(),
                old == null ? now : old.createdAt(), now);
    }

    private static String name(JsonNode n) {
        if (n == null || !n.isTextual() || n.asText().isBlank() || n.asText().length() > 255) {
            throw ApiError.badRequest("invalid_field", "name is required: a string of at most 255 characters");
        }
        return n.asText().trim();
    }

    private SyncConfig existing(Exchange exchange) {
        return existing(exchange, "id");
    }

    private SyncConfig existing(Exchange exchange, String param) {
        return configs.get(Requests.pathParam(exchange, param)).orElseThrow(() -> ApiError.notFound("sync config"));
    }

    private ObjectNode view(SyncConfig c) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", c.id());
        n.put("name", c.name());
        ObjectNode s = n.putObject("source");
        s.put("type", c.sourceType());
        s.setAll(SettingSecrets.redact(c.sourceSettings()));
        ObjectNode t = n.putObject("target");
        t.put("type", c.targetType());
        t.setAll(SettingSecrets.redact(c.targetSettings()));
        if (c.mapping() == null) {
            n.putObject("mapping");
        } else {
            n.set("mapping", c.mapping());
        }
        n.put("trigger_type", c.triggerType());
        n.put("schedule_cron", c.scheduleCron());
        n.put("is_active", c.active());
        Instant next = scheduler.running() ? scheduler.nextRun(c) : null;
        if (next == null) {
            n.putNull("next_sync_at");
        } else {
            n.put("next_sync_at", next.toEpochMilli());
        }
        n.put("created_at", c.createdAt().toString());
        n.put("updated_at", c.updatedAt().toString());
        return n;
    }
}
