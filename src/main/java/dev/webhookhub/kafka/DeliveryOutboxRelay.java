package dev.webhookhub.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.deliveries.DeliveryOutbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the Kafka outbox: one thread per instance takes the oldest rows in id order, sends them as CloudEvents
 * records (idempotent producer, acks=all), waits for every acknowledgement and only then deletes the rows, in one
 * transaction. A PostgreSQL advisory lock (held for that transaction) lets one instance publish at a time, so the
 * records of one service reach their partition in the order the deliveries were committed. A failure (broker gone,
 * store gone) rolls back: the rows stay and are sent again (a record sent twice is processed once: the workers are
 * idempotent on the delivery's status). Woken after each accepted delivery, and every poll interval otherwise.
 */
public final class DeliveryOutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryOutboxRelay.class);
    /** pg advisory lock key of the relay ("hubkafka"). */
    static final long LOCK_KEY = 0x6875626b61666b61L;

    private final DataSource ds;
    private final boolean postgres;
    private final DeliveryOutbox outbox;
    private final Supplier<Producer<String, String>> producers;
    /** Made on first use; dropped after a failed round (a new one starts clean, without the failed sends). */
    private Producer<String, String> producer;
    private final ObjectMapper mapper;
    private final int batchSize;
    private final long pollMillis;
    private final long ackTimeoutMillis;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong published = new AtomicLong();
    private volatile boolean running;
    private boolean closed;
    private volatile Thread thread;
    private volatile String failure;
    private volatile long failedAt;

    public DeliveryOutboxRelay(DataSource ds, boolean postgres, DeliveryOutbox outbox,
            Supplier<Producer<String, String>> producers, ObjectMapper mapper, int batchSize, long pollMillis,
            long ackTimeoutMillis) {
        this.ds = ds;
        this.postgres = postgres;
        this.outbox = outbox;
        this.producers = producers;
        this.mapper = mapper;
        this.batchSize = batchSize;
        this.pollMillis = pollMillis;
        this.ackTimeoutMillis = ackTimeoutMillis;
    }

    public synchronized void start() {
        if (running || closed) {
            return;
        }
        running = true;
        Thread t = new Thread(this::run, "hub-kafka-outbox-relay");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Something was added to the outbox: publish now rather than at the next poll. */
    public void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /** Records published (and acknowledged) by this instance. */
    public long published() {
        return published.get();
    }

    /** Why the last round failed, while no round has worked since. */
    public Optional<String> failing() {
        return Optional.ofNullable(failure);
    }

    private void run() {
        long backoff = pollMillis;
        while (running) {
            try {
                wake.tryAcquire(backoff, TimeUnit.MILLISECONDS);
                wake.drainPermits();
                int n;
                do {
                    n = publishOnce();
                } while (running && n == batchSize);
                backoff = pollMillis;
                if (failure != null) {
                    LOG.info("Kafka outbox: publishing again after {} ms",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failedAt));
                    failure = null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                String why = rootMessage(e);
                if (failure == null) {
                    failedAt = System.nanoTime();
                    LOG.warn("Kafka outbox: cannot publish ({}); the deliveries stay in the outbox and are retried",
                            why);
                }
                failure = why;
                backoff = Math.min(5_000, Math.max(backoff * 2, 200));
                dropProducer();
            }
        }
    }

    /** Publishes up to one batch; returns how many rows were published. */
    int publishOnce() throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (postgres && !lock(c)) {
                    c.rollback();
                    return 0; // another instance is publishing
                }
                List<DeliveryOutbox.Row> rows = outbox.oldest(c, batchSize);
                if (rows.isEmpty()) {
                    c.commit();
                    return 0;
                }
                if (producer == null) {
                    producer = producers.get();
                }
                List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
                for (DeliveryOutbox.Row r : rows) {
                    acks.add(producer.send(CloudEventsBinding.record(mapper, r.topic(), r.key(), r.envelope())));
                }
                producer.flush();
                awaitAcks(acks);
                outbox.delete(c, rows);
                c.commit();
                published.addAndGet(rows.size());
                return rows.size();
            } catch (SQLException | RuntimeException | ExecutionException | TimeoutException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Waits for every acknowledgement. The producer retries in order for as long as it takes (a record that expired
     * could let later ones overtake it), so an outage is waited out here, reported as a failure once it lasts longer
     * than the acknowledgement timeout; the rows stay uncommitted meanwhile. Gives up only when the relay stops.
     */
    private void awaitAcks(List<Future<RecordMetadata>> acks) throws ExecutionException, InterruptedException,
            TimeoutException {
        long started = System.nanoTime();
        for (Future<RecordMetadata> ack : acks) {
            while (true) {
                try {
                    ack.get(200, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    if (!running) {
                        throw new TimeoutException("stopping while waiting for Kafka's acknowledgements");
                    }
                    if (waited > ackTimeoutMillis && failure == null) {
                        failedAt = started;
                        failure = "no acknowledgement from Kafka for " + waited + " ms";
                        LOG.warn("Kafka outbox: {}; the deliveries stay in the outbox until it answers", failure);
                    }
                }
            }
        }
    }

    private static boolean lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        running = false;
        wake.release();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(TimeUnit.MILLISECONDS.toMillis(ackTimeoutMillis) + 2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (t == null || !t.isAlive()) {
            Producer<String, String> p = producer;
            producer = null;
            if (p != null) {
                p.close(Duration.ofSeconds(5));
            }
        }
    }

    private void dropProducer() {
        Producer<String, String> p = producer;
        producer = null;
        if (p != null) {
            try {
                p.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("closing the failed Kafka producer: {}", e.toString());
            }
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
