package dev.webhookhub.deliveries;

import dev.webhookhub.store.StoreFlush;
import dev.webhookhub.store.StoreException;
import dev.webhookhub.store.Database;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.webhookhub.support.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group-commit inbox with the H2 journal: checkpoints happen beside the writer, never in its way. */
class DeliveryInboxTest {

    @TempDir
    Path dir;

    private HikariDataSource ds;
    private DeliveryJournal journal;
    private DeliveryBodies bodies;
    private DeliveryInbox inbox;

    @BeforeEach
    void openStore() {
        ds = Database.open("jdbc:h2:file:" + dir.resolve("hub").toAbsolutePath(), "sa", "", 4);
        journal = new DeliveryJournal(dir.resolve("journal"), false);
        bodies = new DeliveryBodies(dir.resolve("bodies"), false);
    }

    @AfterEach
    void closeStore() {
        if (inbox != null) {
            inbox.close();
        }
        ds.close();
    }

    @Test
    void theWriterKeepsCommittingWhileTheStoreFlushes() throws Exception {
        CountDownLatch flushing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> flushThread = new AtomicReference<>();
        StoreFlush slowFlush = () -> {
            flushThread.set(Thread.currentThread().getName());
            flushing.countDown();
            await(release);
        };
        inbox = new DeliveryInbox(ds, 16, true, journal, bodies, slowFlush, 50);

        assertThat(inbox.submit(record("a")).get(10, TimeUnit.SECONDS)).isEqualTo(DeliveryInbox.Outcome.WRITTEN);
        assertThat(flushing.await(10, TimeUnit.SECONDS)).as("a checkpoint started").isTrue();
        assertThat(flushThread.get()).isEqualTo("hub-inbox-checkpoint");

        // the store is still flushing: new deliveries are committed and answered all the same
        for (String id : List.of("b", "c", "d")) {
            assertThat(inbox.submit(record(id)).get(10, TimeUnit.SECONDS)).isEqualTo(DeliveryInbox.Outcome.WRITTEN);
        }
        assertThat(rows()).isEqualTo(4);
        assertThat(journal.segments()).as("the segment being flushed and the current one").hasSize(2);

        release.countDown();
        eventually(() -> assertThat(journal.segments()).as("the flushed segment is deleted")
                .hasSizeLessThanOrEqualTo(1));
    }

    @Test
    void segmentsOfAFailedFlushAreKeptUntilAFlushSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch secondFlush = new CountDownLatch(1);
        StoreFlush failingOnce = () -> {
            if (calls.incrementAndGet() == 1) {
                throw new StoreException("disk full", null);
            }
            secondFlush.countDown();
        };
        inbox = new DeliveryInbox(ds, 16, true, journal, bodies, failingOnce, 50);

        inbox.submit(record("a")).get(10, TimeUnit.SECONDS);
        eventually(() -> assertThat(calls.get()).isGreaterThanOrEqualTo(1));
        assertThat(journal.segments()).as("kept after the failed flush").hasSize(1);

        inbox.submit(record("b")).get(10, TimeUnit.SECONDS);
        assertThat(secondFlush.await(10, TimeUnit.SECONDS)).isTrue();
        eventually(() -> assertThat(journal.segments()).as("both segments dropped after the good flush").isEmpty());
    }

    @Test
    void closingFlushesAndEmptiesTheJournal() throws Exception {
        AtomicInteger flushes = new AtomicInteger();
        inbox = new DeliveryInbox(ds, 16, true, journal, bodies, flushes::incrementAndGet, 3_600_000);
        inbox.submit(record("a")).get(10, TimeUnit.SECONDS);
        assertThat(journal.segments()).hasSize(1);

        inbox.close();
        inbox = null;

        assertThat(flushes.get()).isEqualTo(1);
        assertThat(journal.segments()).isEmpty();
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void aJournalledDeliveryTheStoreRefusesIsSetAsideAndTheRestRestored() throws Exception {
        DeliveryRecord good = record("good");
        DeliveryRecord r = record("too-big");
        // an event too long for its column (H2: 1,000,000 characters), as older versions could journal
        DeliveryRecord tooBig = new DeliveryRecord(r.id(), r.provider(), r.serviceId(), r.deliveryId(), r.eventType(),
                r.payload(), r.payloadSize(), false, r.headersJson(), r.signatureValid(), r.status(),
                r.responseCode(), r.processingTimeMs(), "x".repeat(1_000_001), null, r.createdAt(), null);
        journal.append(List.of(good, tooBig));
        journal.close();
        journal = new DeliveryJournal(dir.resolve("journal"), false);

        inbox = new DeliveryInbox(ds, 16, true, journal, bodies, () -> { }, 3_600_000);

        assertThat(rows()).as("the good delivery restored, the hub started").isEqualTo(1);
        assertThat(journal.segments()).isEmpty();
        try (var kept = java.nio.file.Files.walk(dir.resolve("journal").resolve("unrestored"))) {
            assertThat(kept.filter(p -> p.getFileName().toString().endsWith(".log")).count())
                    .as("the segment kept for an operator").isEqualTo(1);
        }
        assertThat(inbox.submit(record("after")).get(10, TimeUnit.SECONDS)).isEqualTo(DeliveryInbox.Outcome.WRITTEN);
    }

    @Test
    void retriesOfDeliveriesTakenInAreRecordedAsDuplicatesAndTheirBatchIsWritten() throws Exception {
        inbox = new DeliveryInbox(ds, 256, false, journal, bodies, () -> { }, 3_600_000);
        assertThat(inbox.submit(record("first")).get(10, TimeUnit.SECONDS)).isEqualTo(DeliveryInbox.Outcome.WRITTEN);

        // submitted together, so that the writer takes them in few batches: the store's key refuses the retries
        List<java.util.concurrent.CompletableFuture<DeliveryInbox.Outcome>> outcomes = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            outcomes.add(inbox.submit(i == 40 || i == 70 ? retryOf("first", "retry-" + i)
                    : i == 60 ? retryOf("n-20", "retry-60") : record("n-" + i)));
        }
        for (int i = 0; i < 100; i++) {
            assertThat(outcomes.get(i).get(10, TimeUnit.SECONDS)).as("delivery %d", i)
                    .isEqualTo(i == 40 || i == 60 || i == 70 ? DeliveryInbox.Outcome.DUPLICATE
                            : DeliveryInbox.Outcome.WRITTEN);
        }
        assertThat(rows()).isEqualTo(101);
        assertThat(count("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'duplicate' AND response_code = 200"
                + " AND id LIKE 'retry-%'")).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'accepted'")).isEqualTo(98);
        assertThat(count("SELECT COUNT(*) FROM idempotency_keys")).isEqualTo(98);
    }

    private static void eventually(Await.Check check) throws Exception {
        Await.untilAsserted(Duration.ofSeconds(10), check);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int rows() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM webhook_deliveries")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private int count(String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The sender's retry of delivery {@code id}: a new row, the same idempotency key. */
    private static DeliveryRecord retryOf(String id, String newId) {
        DeliveryRecord r = record(id);
        return new DeliveryRecord(newId, r.provider(), r.serviceId(), r.deliveryId(), r.eventType(), r.payload(),
                r.payloadSize(), r.payloadTruncated(), r.headersJson(), r.signatureValid(), r.status(),
                r.responseCode(), r.processingTimeMs(), r.eventJson(), r.error(), r.createdAt(), r.idempotencyKey());
    }

    private static DeliveryRecord record(String id) {
        return DeliveryJournalTest.record(id, new byte[100]);
    }
}
