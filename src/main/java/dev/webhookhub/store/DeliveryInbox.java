package dev.webhookhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable inbox: writes delivery rows with group commit. Callers submit a row and wait for its future; one
 * writer thread drains whatever has queued up and commits it in a single transaction, so many concurrent deliveries
 * share one commit. A future completes only after its row is committed.
 */
public final class DeliveryInbox implements AutoCloseable {

    /** What happened to a submitted row. */
    public enum Outcome { WRITTEN, DUPLICATE }

    static final String IDEMPOTENCY_PROCESSOR = "git-webhooks";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryInbox.class);
    private static final String INSERT_DELIVERY = "INSERT INTO webhook_deliveries (id, provider, service_id, "
            + "delivery_id, event_type, payload, payload_size, payload_truncated, headers, signature_valid, status, "
            + "response_code, processing_time_ms, event, error, created_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_KEY =
            "INSERT INTO idempotency_keys (processor_name, message_id, created_at) VALUES (?, ?, ?)";

    private record Pending(DeliveryRecord record, CompletableFuture<Outcome> done) {
    }

    private final DataSource ds;
    private final int batchSize;
    private final BlockingQueue<Pending> queue;
    private final Thread writer;
    private volatile boolean running = true;

    public DeliveryInbox(DataSource ds, int batchSize) {
        this.ds = ds;
        this.batchSize = batchSize;
        this.queue = new ArrayBlockingQueue<>(Math.max(1024, batchSize * 16));
        this.writer = new Thread(this::run, "hub-inbox-writer");
        this.writer.setDaemon(true);
        this.writer.start();
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
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                write(batch);
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
    }

    private void write(List<Pending> batch) {
        try {
            writeTogether(batch);
            batch.forEach(p -> p.done().complete(Outcome.WRITTEN));
            return;
        } catch (SQLException e) {
            if (batch.size() == 1 && !isUniqueViolation(e)) {
                batch.get(0).done().completeExceptionally(new StoreException("cannot record delivery", e));
                return;
            }
            LOG.debug("batch of {} deliveries failed, writing them one by one: {}", batch.size(), e.getMessage());
        }
        for (Pending p : batch) {
            writeAlone(p);
        }
    }

    private void writeAlone(Pending p) {
        try {
            writeTogether(List.of(p));
            p.done().complete(Outcome.WRITTEN);
        } catch (SQLException e) {
            if (isUniqueViolation(e) && p.record().idempotencyKey() != null) {
                // another writer (another hub instance) took this delivery in first
                try {
                    writeTogether(List.of(new Pending(p.record().asDuplicate(), p.done())));
                    p.done().complete(Outcome.DUPLICATE);
                    return;
                } catch (SQLException again) {
                    e = again;
                }
            }
            p.done().completeExceptionally(new StoreException("cannot record delivery", e));
        }
    }

    private void writeTogether(List<Pending> batch) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean anyKey = false;
                try (PreparedStatement ps = c.prepareStatement(INSERT_DELIVERY)) {
                    for (Pending p : batch) {
                        bind(ps, p.record());
                        ps.addBatch();
                        anyKey |= p.record().idempotencyKey() != null;
                    }
                    ps.executeBatch();
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
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void bind(PreparedStatement ps, DeliveryRecord r) throws SQLException {
        ps.setString(1, r.id());
        ps.setString(2, r.provider());
        ps.setString(3, r.serviceId());
        ps.setString(4, r.deliveryId());
        ps.setString(5, r.eventType());
        ps.setBytes(6, r.payload());
        ps.setLong(7, r.payloadSize());
        ps.setBoolean(8, r.payloadTruncated());
        ps.setString(9, r.headersJson());
        ps.setObject(10, r.signatureValid());
        ps.setString(11, r.status());
        ps.setInt(12, r.responseCode());
        ps.setInt(13, r.processingTimeMs());
        ps.setString(14, r.eventJson());
        ps.setString(15, r.error());
        Jdbc.setInstant(ps, 16, r.createdAt());
    }

    static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
            if (t instanceof java.sql.BatchUpdateException b && b.getNextException() != null
                    && "23505".equals(b.getNextException().getSQLState())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
