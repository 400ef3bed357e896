package dev.webhookhub.deliveries;

import dev.webhookhub.store.Database;
import dev.webhookhub.store.StoreFlush;
import dev.webhookhub.store.StoredPayload;
import dev.webhookhub.store.StoreException;
import dev.webhookhub.store.Jdbc;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable inbox: writes delivery rows with group commit. Callers submit a row and wait for its future; one
 * writer thread drains whatever has queued up and commits it in a single transaction, so many concurrent deliveries
 * share one commit. A future completes only after its row is committed and durable: with PostgreSQL the commit is;
 * with the embedded H2 store the batch is first appended to the {@link DeliveryJournal}, which is checkpointed into
 * the database file about once a second and replayed after a crash, and the bodies of its accepted deliveries to the
 * {@link DeliveryBodies} files instead of the database.
 */
public final class DeliveryInbox implements AutoCloseable {

    /** What happened to a submitted row. */
    public enum Outcome { WRITTEN, DUPLICATE }

    static final String IDEMPOTENCY_PROCESSOR = "git-webhooks";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryInbox.class);
    private static final String INSERT_DELIVERY = "INSERT INTO webhook_deliveries (id, provider, service_id, "
            + "delivery_id, event_type, payload_size, payload_truncated, headers, signature_valid, status, "
            + "response_code, processing_time_ms, event, error, created_at, body_file, body_offset, body_length, "
            + "body_encoding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_PAYLOAD =
            "INSERT INTO webhook_delivery_payloads (delivery_id, body, body_large, encoding) VALUES (?, ?, ?, ?)";
    private static final String INSERT_KEY =
            "INSERT INTO idempotency_keys (processor_name, message_id, created_at) VALUES (?, ?, ?)";

    /** A row to write; {@code body} where its payload was put in the body files, else null. */
    private record Pending(DeliveryRecord record, CompletableFuture<Outcome> done, DeliveryBodies.Ref body) {

        Pending(DeliveryRecord record, CompletableFuture<Outcome> done) {
            this(record, done, null);
        }

        Pending as(DeliveryRecord other) {
            return new Pending(other, done, body);
        }
    }

    private final DataSource ds;
    private final int batchSize;
    /** Used by the writer thread only (and by the journal replay, before the writer starts). */
    private final StoredPayload payloads;
    private final DeliveryJournal journal;
    /** Where accepted deliveries' bodies go instead of webhook_delivery_payloads; null: into the table. */
    private final DeliveryBodies bodies;
    private final StoreFlush flush;
    private final long checkpointNanos;
    private final BlockingQueue<Pending> queue;
    private final Thread writer;
    private long lastCheckpoint = System.nanoTime();
    /** Closed journal segments whose deliveries the store has not flushed yet; writer thread and checkpointer. */
    private final List<Path> unflushed = new CopyOnWriteArrayList<>();
    private final ExecutorService checkpointer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hub-inbox-checkpoint");
        t.setDaemon(true);
        return t;
    });
    private Future<?> checkpointing;
    private volatile boolean running = true;
    /** Scaled mode: accepted deliveries are also written to the Kafka outbox, in the same transaction. */
    private volatile DeliveryOutbox outbox;
    /** The store failure of the last write, null after a write that worked; read by the health check. */
    private volatile String failure;
    private volatile long failedAt;
    /** How long a failed write keeps the inbox reported failing when no write came after it. */
    private static final long FAILURE_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** An inbox whose commits are durable by themselves (PostgreSQL). */
    public DeliveryInbox(DataSource ds, int batchSize, boolean compressPayloads) {
        this(ds, batchSize, compressPayloads, null, null, StoreFlush.NONE, 0);
    }

    /**
     * An inbox that makes each batch durable in {@code journal} and flushes the store every
     * {@code checkpointMillis}, and puts the bodies of accepted deliveries in {@code bodies} (null: in the store).
     * Replays what a crash left in the journal before taking new deliveries.
     */
    public DeliveryInbox(DataSource ds, int batchSize, boolean compressPayloads, DeliveryJournal journal,
            DeliveryBodies bodies, StoreFlush flush, long checkpointMillis) {
        this.ds = ds;
        this.batchSize = batchSize;
        this.payloads = new StoredPayload(compressPayloads);
        this.journal = journal;
        this.bodies = bodies;
        this.flush = flush;
        this.checkpointNanos = checkpointMillis * 1_000_000L;
        this.queue = new ArrayBlockingQueue<>(Math.max(1024, batchSize * 16));
        if (journal != null) {
            replayJournal();
        }
        this.writer = new Thread(this::run, "hub-inbox-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    private enum Replayed { PRESENT, RESTORED, UNRESTORABLE }

    /**
     * Puts every journalled delivery the store does not have back into it, then empties the journal. A record the
     * store refuses for what it holds (a value it cannot take) was never acknowledged, since its insert failed the
     * same way when it arrived; it must not keep the hub from starting, so it is logged and its segments are set
     * aside (under {@code unrestored/}) rather than deleted. A store that cannot be reached still stops the start.
     */
    private void replayJournal() {
        try {
            List<Path> segments = journal.segments();
            if (segments.isEmpty()) {
                return;
            }
            int[] counts = new int[Replayed.values().length];
            journal.replay(r -> counts[insertIfMissing(r).ordinal()]++);
            flush.flush();
            if (counts[Replayed.UNRESTORABLE.ordinal()] > 0) {
                Path kept = journal.setAside(segments);
                LOG.error("delivery journal: {} deliveries could not be restored to the store; their segments are"
                        + " kept in {}", counts[Replayed.UNRESTORABLE.ordinal()], kept);
            } else {
                for (Path segment : segments) {
                    journal.delete(segment);
                }
            }
            LOG.info("delivery journal replayed: {} deliveries restored to the store",
                    counts[Replayed.RESTORED.ordinal()]);
        } catch (IOException e) {
            throw new StoreException("cannot replay the delivery journal", e);
        }
    }

    private Replayed insertIfMissing(DeliveryRecord r) {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM webhook_deliveries WHERE id = ?")) {
                ps.setString(1, r.id());
                try (var rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return Replayed.PRESENT;
                    }
                }
            }
            Pending p = withBodies(List.of(new Pending(r, new CompletableFuture<>()))).get(0);
            try {
                writeTogether(List.of(p));
            } catch (SQLException e) {
                if (!Jdbc.isUniqueViolation(e)) {
                    throw e;
                }
                writeTogether(List.of(p.as(r.asDuplicate())));
            }
            return Replayed.RESTORED;
        } catch (IOException e) {
            throw new StoreException("cannot restore journalled delivery " + r.id() + " to the body files", e);
        } catch (SQLException e) {
            if (isDataError(e)) {
                LOG.error("journalled delivery {} ({} {}) cannot be restored: {}", r.id(), r.provider(), r.status(),
                        e.getMessage());
                return Replayed.UNRESTORABLE;
            }
            throw new StoreException("cannot restore journalled delivery " + r.id(), e);
        }
    }

    /** SQLSTATE class 22 (data exception: too long, invalid text) or 23 (constraint) other than a duplicate key. */
    static boolean isDataError(SQLException e) {
        return Jdbc.hasSqlState(e, state -> state.startsWith("22") || state.startsWith("23"))
                && !Jdbc.isUniqueViolation(e);
    }

    /**
     * Starts a checkpoint when one is due: closes the journal segment on the writer thread, between batches, then
     * flushes the store and deletes the closed segments on the checkpoint thread, so the writer (and every request
     * waiting for its commit) goes on while H2 writes its file. Segments whose flush failed stay on disk and are
     * deleted after the next successful flush; a crash before that replays them. {@code force} (at close) waits.
     */
    private void checkpoint(boolean force) {
        if (journal == null) {
            return;
        }
        if (force) {
            waitForCheckpoint();
        } else if (checkpointRunning() || System.nanoTime() - lastCheckpoint < checkpointNanos) {
            return;
        }
        try {
            if (!journal.isEmpty()) {
                unflushed.add(journal.rotate());
            }
        } catch (IOException e) {
            LOG.warn("cannot close the journal segment (will retry): {}", e.getMessage());
            return;
        }
        if (unflushed.isEmpty()) {
            return;
        }
        lastCheckpoint = System.nanoTime();
        List<Path> segments = List.copyOf(unflushed);
        if (force) {
            flushAndDrop(segments);
        } else {
            checkpointing = checkpointer.submit(() -> flushAndDrop(segments));
        }
    }

    /** Flushes the store, then deletes the journal segments whose deliveries it (and the body files) now hold. */
    private void flushAndDrop(List<Path> segments) {
        try {
            flush.flush();
        } catch (RuntimeException e) {
            LOG.warn("journal checkpoint failed (will retry): {}", e.getMessage());
            return;
        }
        for (Path segment : segments) {
            try {
                journal.delete(segment);
            } catch (IOException e) {
                LOG.warn("cannot delete flushed journal segment {}: {}", segment, e.getMessage());
            }
        }
        unflushed.removeAll(segments);
    }

    private boolean checkpointRunning() {
        return checkpointing != null && !checkpointing.isDone();
    }

    private void waitForCheckpoint() {
        if (checkpointing == null) {
            return;
        }
        try {
            checkpointing.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("journal checkpoint did not finish: {}", e.toString());
        }
    }

    /**
     * Why the inbox cannot write, while its last write failed on the store itself (not on a bad value) within the
     * last 30 seconds, or while it is closed; empty while writes work.
     */
    public java.util.Optional<String> failing() {
        if (!running) {
            return java.util.Optional.of("the delivery inbox is closed");
        }
        String f = failure;
        return f == null || System.nanoTime() - failedAt > FAILURE_MEMORY_NANOS ? java.util.Optional.empty()
                : java.util.Optional.of(f);
    }

    private void storeFailed(SQLException e) {
        if (!isDataError(e) && !Jdbc.isUniqueViolation(e)) {
            failedAt = System.nanoTime();
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    /** From now on, accepted deliveries are written to {@code outbox} in the transaction that records them. */
    public void publishThrough(DeliveryOutbox outbox) {
        this.outbox = outbox;
    }

    /** Queues a row for the next commit. The future fails if the store is unavailable. */
    public CompletableFuture<Outcome> submit(DeliveryRecord record) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new StoreException("delivery inbox is closed", null));
            return done;
        }
        try {
            // back-pressure: callers wait while the writer is a full queue behind
            if (!queue.offer(new Pending(record, done), 10, TimeUnit.SECONDS)) {
                done.completeExceptionally(new StoreException("delivery inbox is saturated", null));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(new StoreException("interrupted while queueing delivery", e));
        }
        return done;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, batchSize - 1);
                    write(batch);
                }
                checkpoint(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("delivery inbox writer failed", e);
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        for (Pending p; (p = queue.poll()) != null; ) {
            p.done().completeExceptionally(new StoreException("delivery inbox closed", null));
        }
        checkpoint(true);
    }

    private void write(List<Pending> received) {
        List<Pending> batch;
        String step = "cannot append to the delivery journal";
        try {
            if (journal != null) {
                journal.append(received.stream().map(Pending::record).toList());
            }
            step = "cannot append to the delivery body files";
            batch = withBodies(received);
        } catch (IOException e) {
            StoreException failure = new StoreException(step, e);
            received.forEach(p -> p.done().completeExceptionally(failure));
            return;
        }
        try {
            writeTogether(batch);
            failure = null;
            batch.forEach(p -> p.done().complete(Outcome.WRITTEN));
            return;
        } catch (SQLException e) {
            storeFailed(e);
            if (batch.size() == 1 && !Jdbc.isUniqueViolation(e)) {
                batch.get(0).done().completeExceptionally(new StoreException("cannot record delivery", e));
                return;
            }
            if (Jdbc.isUniqueViolation(e) && batch.size() > 1 && writeWithDuplicates(batch)) {
                return;
            }
            LOG.debug("batch of {} deliveries failed, writing them one by one: {}", batch.size(), e.getMessage());
        }
        for (Pending p : batch) {
            writeAlone(p);
        }
    }

    /**
     * A batch refused for a duplicate key: a sender's retry of a delivery the store already holds (the receivers'
     * idempotent consumer does not read the store for every request; the key's unique constraint, in the same
     * transaction as the row, decides). Reads which of the batch's keys the store holds, writes those deliveries as
     * duplicates and the rest as they are, in one transaction; false (nothing completed) when that fails too.
     */
    private boolean writeWithDuplicates(List<Pending> batch) {
        Set<String> taken;
        try {
            taken = keysTaken(batch);
        } catch (SQLException e) {
            return false;
        }
        List<Pending> again = new ArrayList<>(batch.size());
        boolean[] duplicate = new boolean[batch.size()];
        Set<String> inBatch = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            String key = p.record().idempotencyKey();
            duplicate[i] = key != null && (taken.contains(key) || !inBatch.add(key));
            again.add(duplicate[i] ? p.as(p.record().asDuplicate()) : p);
        }
        try {
            writeTogether(again);
        } catch (SQLException e) {
            LOG.debug("batch of {} deliveries failed again after marking {} duplicates: {}", batch.size(),
                    taken.size(), e.getMessage());
            return false;
        }
        failure = null;
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(duplicate[i] ? Outcome.DUPLICATE : Outcome.WRITTEN);
        }
        return true;
    }

    /** The batch's idempotency keys the store already holds. */
    private Set<String> keysTaken(List<Pending> batch) throws SQLException {
        Set<String> taken = new HashSet<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM idempotency_keys WHERE processor_name = ? AND message_id = ?")) {
            for (Pending p : batch) {
                String key = p.record().idempotencyKey();
                if (key == null || taken.contains(key)) {
                    continue;
                }
                ps.setString(1, IDEMPOTENCY_PROCESSOR);
                ps.setString(2, key);
                try (var rs = ps.executeQuery()) {
                    if (rs.next()) {
                        taken.add(key);
                    }
                }
            }
        }
        return taken;
    }

    private void writeAlone(Pending p) {
        try {
            writeTogether(List.of(p));
            failure = null;
            p.done().complete(Outcome.WRITTEN);
        } catch (SQLException e) {
            storeFailed(e);
            if (Jdbc.isUniqueViolation(e) && p.record().idempotencyKey() != null) {
                // another writer (another hub instance) took this delivery in first
                try {
                    writeTogether(List.of(p.as(p.record().asDuplicate())));
                    p.done().complete(Outcome.DUPLICATE);
                    return;
                } catch (SQLException again) {
                    e = again;
                }
            }
            p.done().completeExceptionally(new StoreException("cannot record delivery", e));
        }
    }

    /**
     * The batch with the bodies of its accepted deliveries appended to the body files (one write), when the inbox
     * has them; each of those rows then points there instead of getting a payload row.
     */
    private List<Pending> withBodies(List<Pending> batch) throws IOException {
        if (bodies == null) {
            return batch;
        }
        List<Integer> at = new ArrayList<>();
        List<StoredPayload.Encoded> encoded = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            DeliveryRecord r = batch.get(i).record();
            if (r.payload() != null && DeliveryStatus.ACCEPTED.equals(r.status())) {
                at.add(i);
                encoded.add(payloads.encode(r.payload()));
            }
        }
        if (at.isEmpty()) {
            return batch;
        }
        List<DeliveryBodies.Ref> refs = bodies.append(encoded);
        List<Pending> placed = new ArrayList<>(batch);
        for (int k = 0; k < at.size(); k++) {
            Pending p = batch.get(at.get(k));
            placed.set(at.get(k), new Pending(p.record(), p.done(), refs.get(k)));
        }
        return placed;
    }

    private void writeTogether(List<Pending> batch) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean anyKey = false;
                boolean anyPayload = false;
                try (PreparedStatement ps = c.prepareStatement(INSERT_DELIVERY)) {
                    for (Pending p : batch) {
                        bind(ps, p.record(), p.body());
                        ps.addBatch();
                        anyKey |= p.record().idempotencyKey() != null;
                        anyPayload |= p.record().payload() != null && p.body() == null;
                    }
                    ps.executeBatch();
                }
                if (anyPayload) {
                    try (PreparedStatement ps = c.prepareStatement(INSERT_PAYLOAD)) {
                        for (Pending p : batch) {
                            if (p.record().payload() != null && p.body() == null) {
                                StoredPayload.Encoded stored = payloads.encode(p.record().payload());
                                byte[] body = stored.bytes();
                                boolean inline = body.length <= Database.Dialect.MAX_INLINE_BYTES;
                                ps.setString(1, p.record().id());
                                ps.setBytes(2, inline ? body : null);
                                ps.setBytes(3, inline ? null : body);
                                ps.setString(4, stored.encoding());
                                ps.addBatch();
                            }
                        }
                        ps.executeBatch();
                    }
                }
                if (anyKey) {
                    try (PreparedStatement ps = c.prepareStatement(INSERT_KEY)) {
                        for (Pending p : batch) {
                            DeliveryRecord r = p.record();
                            if (r.idempotencyKey() != null) {
                                ps.setString(1, IDEMPOTENCY_PROCESSOR);
                                ps.setString(2, r.idempotencyKey());
                                Jdbc.setInstant(ps, 3, r.createdAt());
                                ps.addBatch();
                            }
                        }
                        ps.executeBatch();
                    }
                }
                if (bodies != null) {
                    Map<Long, Long> rows = new HashMap<>();
                    for (Pending p : batch) {
                        if (p.body() != null) {
                            rows.merge(p.body().file(), 1L, Long::sum);
                        }
                    }
                    BodyFileCounts.add(c, rows);
                }
                DeliveryOutbox o = outbox;
                if (o != null) {
                    o.add(c, batch.stream().map(Pending::record).toList());
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void bind(PreparedStatement ps, DeliveryRecord r, DeliveryBodies.Ref body) throws SQLException {
        ps.setString(1, r.id());
        ps.setString(2, r.provider());
        ps.setString(3, r.serviceId());
        ps.setString(4, r.deliveryId());
        ps.setString(5, r.eventType());
        ps.setLong(6, r.payloadSize());
        ps.setBoolean(7, r.payloadTruncated());
        ps.setString(8, r.headersJson());
        ps.setObject(9, r.signatureValid());
        ps.setString(10, r.status());
        ps.setInt(11, r.responseCode());
        ps.setInt(12, r.processingTimeMs());
        ps.setString(13, r.eventJson());
        ps.setString(14, r.error());
        Jdbc.setInstant(ps, 15, r.createdAt());
        ps.setObject(16, body == null ? null : body.file(), java.sql.Types.BIGINT);
        ps.setObject(17, body == null ? null : body.offset(), java.sql.Types.BIGINT);
        ps.setObject(18, body == null ? null : body.length(), java.sql.Types.INTEGER);
        ps.setString(19, body == null ? null : body.encoding());
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
            checkpointer.shutdown();
            if (journal != null) {
                journal.close();
            }
            if (bodies != null) {
                bodies.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("cannot close the delivery journal: {}", e.getMessage());
        }
    }
}
