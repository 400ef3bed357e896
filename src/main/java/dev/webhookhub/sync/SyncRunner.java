package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.events.EventTypes;
import dev.webhookhub.store.TimeOrderedIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync run: instantiates the config's source and target connector routes, reads the items, maps each, compares
 * the mapped item's hash with the link table, and writes only what is new or changed. Records the execution and
 * raises {@code sync_completed} / {@code sync_failed}.
 */
final class SyncRunner {

    /** Headers between the hub and a target connector route (Camel* headers are not sent out by camel-http). */
    static final String OPERATION = "CamelSyncOperation";
    static final String SOURCE_ID = "CamelSyncSourceId";
    static final String TARGET_ID = "CamelSyncTargetId";
    /** Ids of the connector routes a run adds and removes again. */
    static final String RUN_ROUTE_PREFIX = "sync-run-";
    static final String WORK_ITEM_IDS = "CamelSyncWorkItemIds";

    private static final Logger LOG = LoggerFactory.getLogger(SyncRunner.class);

    private final SyncConfigStore configs;
    private final SyncExecutionStore executions;
    private final Connectors connectors;
    private final SettingSecrets secrets;
    private final ProducerTemplate producer;
    private final EventBus events;
    private final ObjectMapper mapper;
    private final int itemResultsCap;
    private final Clock clock;

    SyncRunner(SyncConfigStore configs, SyncExecutionStore executions, Connectors connectors, SettingSecrets secrets,
            ProducerTemplate producer, EventBus events, ObjectMapper mapper, int itemResultsCap, Clock clock) {
        this.configs = configs;
        this.executions = executions;
        this.connectors = connectors;
        this.secrets = secrets;
        this.producer = producer;
        this.events = events;
        this.mapper = mapper;
        this.itemResultsCap = itemResultsCap;
        this.clock = clock;
    }

    SyncExecution run(SyncJob job) {
        SyncConfig config = configs.get(job.configId()).orElse(null);
        Instant started = clock.instant();
        String execId = TimeOrderedIds.next();
        executions.start(new SyncExecution(execId, job.configId(), job.id(), job.trigger(), SyncExecution.RUNNING,
                job.dryRun(), 0, 0, 0, 0, 0, null, null, started, null, null));
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int errors = 0;
        int total = 0;
        ArrayNode results = mapper.createArrayNode();
        String error = null;
        String prefix = RUN_ROUTE_PREFIX + execId.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        List<String> routes = new ArrayList<>();
        try {
            if (config == null) {
                throw new IllegalStateException("the sync config " + job.configId() + " no longer exists");
            }
            SyncMapping mapping = SyncMapping.compile(config.mapping(), mapper);
            ObjectNode sourceSettings = secrets.open(config.sourceSettings());
            String idField = sourceSettings.hasNonNull("id") ? Connectors.text(sourceSettings.get("id")) : "id";
            String source = connectors.instantiate(Connectors.SOURCE, config.sourceType(), sourceSettings,
                    prefix + "-source");
            routes.add(prefix + "-source");
            List<JsonNode> items = read(source, job.workItemIds());
            String target = null;
            ObjectNode targetSettings = secrets.open(config.targetSettings());
            // batch: the run's created and updated items go to the target together, as one JSON array
            boolean batch = Connectors.text(targetSettings.get("batch")).equals("true");
            List<PendingWrite> pending = new ArrayList<>();
            if (!job.dryRun()) {
                target = connectors.instantiate(Connectors.TARGET, config.targetType(), targetSettings,
                        prefix + "-target");
                routes.add(prefix + "-target");
            }
            for (JsonNode item : items) {
                String sourceId = idOf(item, idField);
                if (job.workItemIds() != null && !job.workItemIds().contains(sourceId)) {
                    continue;
                }
                total++;
                ObjectNode r = mapper.createObjectNode();
                r.put("source_id", sourceId);
                try {
                    if (sourceId == null) {
                        throw new IllegalArgumentException("the item has no " + idField);
                    }
                    ObjectNode mapped = mapping.apply(item);
                    String hash = hash(mapped);
                    SyncExecutionStore.Link link = executions.link(config.id(), sourceId).orElse(null);
                    String action = link == null ? "created" : link.lastHash().equals(hash) ? "unchanged" : "updated";
                    String targetId = link == null ? null : link.targetItemId();
                    if (!action.equals("unchanged") && target != null && batch) {
                        pending.add(new PendingWrite(mapped, sourceId, hash, link != null, r));
                        targetId = sourceId;
                    } else if (!action.equals("unchanged") && target != null) {
                        targetId = write(target, mapped, sourceId, targetId, action);
                        executions.saveLink(config.id(), sourceId, targetId, hash, link != null, clock.instant());
                    }
                    switch (action) {
                        case "created" -> created++;
                        case "updated" -> updated++;
                        default -> unchanged++;
                    }
                    r.put("action", action);
                    r.put("target_id", targetId);
                } catch (RuntimeException e) {
                    errors++;
                    r.put("action", "error");
                    r.put("error", message(e));
                }
                if (results.size() < itemResultsCap) {
                    results.add(r);
                }
            }
            if (!pending.isEmpty()) {
                try {
                    writeBatch(target, pending);
                    for (PendingWrite w : pending) {
                        executions.saveLink(config.id(), w.sourceId(), w.sourceId(), w.hash(), w.linked(),
                                clock.instant());
                    }
                } catch (RuntimeException e) {
                    // nothing of the batch was written: each of its items is an error, and is sent again next run
                    for (PendingWrite w : pending) {
                        String action = w.result().path("action").asText();
                        if (action.equals("created")) {
                            created--;
                        } else if (action.equals("updated")) {
                            updated--;
                        }
                        errors++;
                        w.result().put("action", "error");
                        w.result().put("error", message(e));
                    }
                }
            }
            if (errors > 0) {
                error = errors + " of " + total + " items failed";
            }
        } catch (RuntimeException e) {
            error = message(e);
            LOG.warn("sync {} ({}) failed: {}", job.configId(), execId, error);
        } finally {
            for (String routeId : routes) {
                try {
                    connectors.remove(routeId);
                } catch (RuntimeException e) {
                    LOG.warn("{}", e.getMessage());
                }
            }
            executions.flush();
        }
        Instant finished = clock.instant();
        String status = error == null ? SyncExecution.COMPLETED : SyncExecution.FAILED;
        SyncExecution done = new SyncExecution(execId, job.configId(), job.id(), job.trigger(), status, job.dryRun(),
                total, created, updated, unchanged, errors, results.toString(), error, started, finished,
                Duration.between(started, finished).toMillis());
        executions.finish(done);
        if (config != null && !job.dryRun()) {
            publish(config, done);
        }
        return done;
    }

    private List<JsonNode> read(String source, List<String> workItemIds) {
        Exchange ex = producer.request(source, e -> {
            if (workItemIds != null) {
                e.getIn().setHeader(WORK_ITEM_IDS, String.join(",", workItemIds));
            }
        });
        if (ex.getException() != null) {
            throw new IllegalStateException("source: " + message(ex.getException()), ex.getException());
        }
        Object body = ex.getMessage().getBody();
        JsonNode node;
        try {
            if (body instanceof JsonNode j) {
                node = j;
            } else if (body instanceof String || body instanceof byte[] || body instanceof java.io.InputStream) {
                node = mapper.readTree(ex.getMessage().getBody(String.class));
            } else {
                node = mapper.valueToTree(body);
            }
        } catch (Exception e) {
            throw new IllegalStateException("source: the answer is not JSON: " + e.getMessage(), e);
        }
        List<JsonNode> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(out::add);
        } else if (node != null && node.isObject()) {
            out.add(node);
        } else if (node != null && !node.isNull() && !node.isMissingNode()) {
            throw new IllegalStateException("source: expected a list of items, got " + node.getNodeType());
        }
        return out;
    }

    /** An item of a batch: written with the others at the end of the run. */
    private record PendingWrite(ObjectNode mapped, String sourceId, String hash, boolean linked, ObjectNode result) {
    }

    private void writeBatch(String target, List<PendingWrite> pending) {
        var array = mapper.createArrayNode();
        pending.forEach(w -> array.add(w.mapped()));
        Exchange ex = producer.request(target, e -> {
            e.getIn().setBody(array.toString());
            e.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
            e.getIn().setHeader(OPERATION, "batch");
        });
        if (ex.getException() != null) {
            throw new IllegalStateException("target: " + message(ex.getException()), ex.getException());
        }
    }

    private String write(String target, ObjectNode mapped, String sourceId, String targetId, String action) {
        Exchange ex = producer.request(target, e -> {
            e.getIn().setBody(mapped.toString());
            e.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
            e.getIn().setHeader(OPERATION, action.equals("created") ? "create" : "update");
            e.getIn().setHeader(SOURCE_ID, sourceId);
            if (targetId != null) {
                e.getIn().setHeader(TARGET_ID, targetId);
            }
        });
        if (ex.getException() != null) {
            throw new IllegalStateException("target: " + message(ex.getException()), ex.getException());
        }
        String id = ex.getMessage().getHeader(TARGET_ID, String.class);
        return id == null || id.isBlank() ? sourceId : id;
    }

    private void publish(SyncConfig config, SyncExecution e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("execution_id", e.id());
        data.put("job_id", e.jobId());
        data.put("config_id", config.id());
        data.put("config_name", config.name());
        data.put("trigger", e.trigger());
        data.put("total", e.total());
        data.put("created", e.created());
        data.put("updated", e.updated());
        data.put("unchanged", e.unchanged());
        data.put("items_synced", e.created() + e.updated() + e.unchanged());
        data.put("items_failed", e.errors());
        data.put("started_at", e.startedAt().toString());
        data.put("finished_at", e.completedAt().toString());
        data.put("duration_ms", e.durationMs());
        data.put("duration", duration(e.durationMs()));
        if (e.error() != null) {
            data.put("error", e.error());
        }
        events.publish(e.status().equals(SyncExecution.COMPLETED) ? EventTypes.SYNC_COMPLETED : EventTypes.SYNC_FAILED,
                "sync:" + config.id(), config.name(), null, config.id(), data);
    }

    static String duration(long ms) {
        long s = ms / 1000;
        if (s < 60) {
            return s == 0 ? ms + "ms" : s + "s";
        }
        return s / 3600 > 0 ? s / 3600 + "h " + s % 3600 / 60 + "m " + s % 60 + "s" : s / 60 + "m " + s % 60 + "s";
    }

    private static String idOf(JsonNode item, String idField) {
        JsonNode v = idField.startsWith("$") ? ItemPath.find(item, idField) : item.get(idField);
        return v == null || v.isNull() || v.isMissingNode() || v.isContainerNode() ? null : v.asText();
    }

    private static String hash(JsonNode mapped) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(mapped.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String message(Throwable e) {
        Throwable t = e;
        while (t instanceof CamelExecutionException && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (t instanceof org.apache.camel.http.base.HttpOperationFailedException h) {
            m = "HTTP " + h.getStatusCode() + " from " + h.getUri();
        }
        if (m == null || m.isBlank()) {
            m = t.getClass().getSimpleName();
        }
        if (t.getCause() != null && t.getCause() != t && !(t instanceof IllegalArgumentException)) {
            String c = t.getCause().getMessage();
            if (c != null && !m.contains(c)) {
                m = m + ": " + c;
            }
        }
        return m.length() > 1000 ? m.substring(0, 1000) : m;
    }
}
