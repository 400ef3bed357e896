package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.store.StoreException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable job queue: jobs are rows ({@link SyncJobStore}); {@link #dispatch()} (after every enqueue and finish,
 * and from routes/sync-job-queue.yaml on a timer) claims what may run and runs it on a pool of
 * {@code hub.jobs.max-concurrent} threads. Bound in the registry as {@code syncJobQueue}: other parts (registered
 * webhooks) call {@link #enqueue}.
 */
public final class SyncJobQueue {

    /** The queue holds {@code hub.jobs.max-queued} waiting jobs already. */
    public static final class QueueFullException extends RuntimeException {
        QueueFullException(int max) {
            super("the job queue is full (" + max + " jobs waiting); retry later", null, false, false);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SyncJobQueue.class);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SyncJobStore store;
    private final SyncRunner runner;
    private final ExecutorService pool;
    private final ObjectMapper mapper;
    private final int maxConcurrent;
    private final int maxQueued;
    private final int completedHistory;
    private final Clock clock;
    private final AtomicInteger active = new AtomicInteger();
    private final String owner = "hub-" + java.util.UUID.randomUUID();
    private final java.time.Duration lease;
    private volatile boolean open = true;
    private volatile java.util.function.BooleanSupplier started = () -> true;

    SyncJobQueue(SyncJobStore store, SyncRunner runner, ExecutorService pool, ObjectMapper mapper, int maxConcurrent,
            int maxQueued, int completedHistory, java.time.Duration lease, Clock clock) {
        this.lease = lease;
        this.store = store;
        this.runner = runner;
        this.pool = pool;
        this.mapper = mapper;
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
        this.completedHistory = completedHistory;
        this.clock = clock;
    }

    /**
     * Queues a sync of {@code configId}; returns the job id ({@code job_<epoch ms>_<random>}). {@code workItemIds}
     * null syncs every item. Throws {@link QueueFullException} beyond {@code hub.jobs.max-queued}.
     */
    public String enqueue(String configId, String trigger, List<String> workItemIds, boolean dryRun) {
        long now = clock.millis();
        StringBuilder id = new StringBuilder("job_").append(now).append('_');
        for (int i = 0; i < 7; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        SyncJob job = new SyncJob(id.toString(), "sync", configId, trigger, SyncJob.QUEUED, dryRun, workItemIds, 0,
                null, null, null, clock.instant(), null, null);
        if (!store.enqueue(job, maxQueued)) {
            throw new QueueFullException(maxQueued);
        }
        dispatch();
        return job.id();
    }

    /** Claims and starts what may run now. Safe to call from anywhere, any time. */
    public void dispatch() {
        if (!open || !started.getAsBoolean()) {
            return; // connector routes added while the hub is still starting would not run: the timer route starts
        }
        List<SyncJob> claimed;
        try {
            if (active.get() > 0) {
                store.heartbeat(owner, clock.instant());
            }
            claimed = store.claim(maxConcurrent, clock.instant(), owner, clock.instant().minus(lease));
        } catch (StoreException e) {
            LOG.warn("job queue: cannot claim jobs: {}", e.getMessage());
            return;
        }
        for (SyncJob job : claimed) {
            active.incrementAndGet();
            try {
                pool.execute(() -> run(job));
            } catch (RejectedExecutionException e) {
                active.decrementAndGet(); // stopping: the row stays running and is interrupted at the next start
            }
        }
    }

    private void run(SyncJob job) {
        try {
            SyncExecution e = runner.run(job);
            ObjectNode result = mapper.createObjectNode();
            result.put("executionId", e.id());
            result.put("total", e.total());
            result.put("created", e.created());
            result.put("updated", e.updated());
            result.put("unchanged", e.unchanged());
            result.put("errors", e.errors());
            result.put("dryRun", e.dryRun());
            try {
                result.set("items", mapper.readTree(e.items()));
            } catch (Exception ex) {
                result.putArray("items");
            }
            if (!open) {
                return; // the hub is stopping under the job: the row stays running and runs again at the next start
            }
            store.finish(job.id(), e.status().equals(SyncExecution.COMPLETED) ? SyncJob.COMPLETED : SyncJob.FAILED,
                    e.id(), result.toString(), e.error(), clock.instant());
        } catch (RuntimeException e) {
            if (!open) {
                return;
            }
            LOG.error("sync job {} failed", job.id(), e);
            try {
                store.finish(job.id(), SyncJob.FAILED, null, null, SyncRunner.message(e), clock.instant());
            } catch (RuntimeException ignored) {
                // the row stays running: interrupted at the next start
            }
        } finally {
            active.decrementAndGet();
        }
        dispatch();
    }

    /** Jobs run only once this says the hub has started. */
    void startedWhen(java.util.function.BooleanSupplier started) {
        this.started = started;
    }

    /** At a stop: no new work; this instance's running jobs are marked interrupted (they run again once). */
    void close() {
        open = false;
        pool.shutdown();
        try {
            int n = store.interruptOwned(owner);
            if (n > 0) {
                LOG.info("sync jobs: {} running job(s) interrupted by the stop; they run again at the next start", n);
            }
        } catch (RuntimeException e) {
            LOG.warn("sync jobs: cannot mark the running jobs interrupted ({}); they run again once their lease of {} "
                    + "expires", e.getMessage(), lease);
        }
    }

    SyncJobStore store() {
        return store;
    }

    ObjectNode queueView() {
        long[] c = store.counts();
        ObjectNode q = mapper.createObjectNode();
        q.put("isProcessing", c[1] > 0 || active.get() > 0);
        q.put("queuedJobs", c[0]);
        q.put("activeJobs", c[1]);
        q.put("maxConcurrent", maxConcurrent);
        q.put("maxQueued", maxQueued);
        q.put("completedJobs", c[2]);
        q.put("maxCompletedHistory", completedHistory);
        var list = q.putArray("recentJobs");
        for (SyncJob j : store.recentFinished(completedHistory)) {
            list.add(view(j));
        }
        return q;
    }

    ObjectNode view(SyncJob j) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", j.id());
        n.put("type", j.type());
        n.put("configId", j.configId());
        n.put("trigger", j.trigger());
        n.put("status", j.status());
        n.put("dryRun", j.dryRun());
        if (j.workItemIds() != null) {
            var ids = n.putArray("workItemIds");
            j.workItemIds().forEach(ids::add);
        }
        n.put("runs", j.runs());
        n.put("createdAt", j.createdAt() == null ? null : j.createdAt().toEpochMilli());
        if (j.startedAt() == null) {
            n.putNull("startedAt");
        } else {
            n.put("startedAt", j.startedAt().toEpochMilli());
        }
        if (j.completedAt() == null) {
            n.putNull("completedAt");
        } else {
            n.put("completedAt", j.completedAt().toEpochMilli());
        }
        if (j.result() != null) {
            try {
                n.set("result", mapper.readTree(j.result()));
            } catch (Exception e) {
                n.putNull("result");
            }
        } else {
            n.putNull("result");
        }
        n.put("error", j.error());
        return n;
    }
}
