package dev.webhookhub.deliveries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.webhookhub.store.Database;
import dev.webhookhub.store.StoreException;
import dev.webhookhub.store.StoredPayload;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedded mode's body files on a real H2 file store: accepted bodies go there and come back as sent, refused ones
 * stay in the store, a crash's journal is replayed into them, retention deletes a file once no row points into it,
 * and damage is reported rather than returned.
 */
class DeliveryBodiesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    Path dir;

    private HikariDataSource ds;
    private DeliveryInbox inbox;

    @BeforeEach
    void openStore() {
        ds = Database.open("jdbc:h2:file:" + dir.resolve("hub").toAbsolutePath(), "sa", "", 4);
    }

    @AfterEach
    void closeStore() {
        if (inbox != null) {
            inbox.close();
        }
        ds.close();
    }

    @Test
    void acceptedBodiesAreKeptInFilesAndReadBackAsSentRefusedOnesInTheStore() throws Exception {
        DeliveryBodies bodies = bodies(64L * 1024 * 1024);
        inbox = inbox(bodies);
        byte[] push = push(1);
        byte[] small = "{\"zen\":\"keep it simple\"}".getBytes(StandardCharsets.UTF_8);
        byte[] refusedPrefix = push(2);
        assertThat(submit(record("push", "accepted", push, NOW))).isEqualTo(DeliveryInbox.Outcome.WRITTEN);
        assertThat(submit(record("small", "accepted", small, NOW))).isEqualTo(DeliveryInbox.Outcome.WRITTEN);
        assertThat(submit(record("refused", "rejected", refusedPrefix, NOW))).isEqualTo(DeliveryInbox.Outcome.WRITTEN);

        DeliveryPayloads payloads = new DeliveryPayloads(ds, bodies);
        assertThat(payloads.body("push")).hasValue(push);
        assertThat(payloads.body("small")).hasValue(small);
        assertThat(payloads.body("refused")).hasValue(refusedPrefix);
        assertThat(strings("SELECT delivery_id FROM webhook_delivery_payloads")).containsExactly("refused");
        assertThat(strings("SELECT id || ':' || COALESCE(body_encoding, 'none') FROM webhook_deliveries "
                + "WHERE body_file IS NOT NULL"))
                .as("compressed when that is smaller").containsExactlyInAnyOrder("push:lz4", "small:none");
        assertThat(bodies.files()).hasSize(1);
        assertThat(Files.size(bodies.files().get(0))).as("the push compressed, not as sent")
                .isLessThan(push.length);
        assertThat(strings("SELECT file || ':' || live_rows FROM delivery_body_files")).containsExactly("1:2");
    }

    @Test
    void aCrashBetweenTheJournalAndTheStoreIsReplayedIntoTheBodyFiles() throws Exception {
        DeliveryJournal journal = new DeliveryJournal(dir.resolve("journal"), false);
        byte[] push = push(3);
        // what a kill -9 after the journal append and before the commit leaves behind
        journal.append(List.of(record("lost-1", "accepted", push, NOW), record("lost-2", "rejected", push(4), NOW)));
        journal.close();

        DeliveryBodies bodies = bodies(64L * 1024 * 1024);
        inbox = new DeliveryInbox(ds, 16, true, new DeliveryJournal(dir.resolve("journal"), false), bodies,
                () -> { }, 3_600_000);

        DeliveryPayloads payloads = new DeliveryPayloads(ds, bodies);
        assertThat(payloads.body("lost-1")).hasValue(push);
        assertThat(payloads.body("lost-2")).hasValue(push(4));
        assertThat(strings("SELECT id FROM webhook_deliveries WHERE body_file IS NOT NULL"))
                .containsExactly("lost-1");
        assertThat(new DeliveryJournal(dir.resolve("journal"), false).segments()).as("replayed, then dropped")
                .isEmpty();
    }

    @Test
    void retentionDeletesABodyFileOnceNoDeliveryPointsIntoIt() throws Exception {
        // one byte per file: every batch starts a file of its own
        DeliveryBodies bodies = bodies(1);
        inbox = inbox(bodies);
        Instant old = NOW.minus(Duration.ofDays(40));
        submit(record("old-processed", "accepted", push(5), old));
        submit(record("old-unprocessed", "accepted", push(6), old));
        submit(record("recent", "accepted", push(7), NOW));
        update("UPDATE webhook_deliveries SET status = 'processed' WHERE id IN ('old-processed', 'recent')");
        // a file no row points into: a batch whose commit failed after its bodies were written
        bodies.append(List.of(new StoredPayload.Encoded(push(8), null)));
        assertThat(bodies.files()).hasSize(4);
        List<Path> before = new ArrayList<>(bodies.files());

        DeliveryRetention retention = new DeliveryRetention(ds, bodies, Duration.ofDays(30), Duration.ofDays(7),
                100, Clock.fixed(NOW, ZoneOffset.UTC));
        DeliveryRetention.Result result = retention.purge();

        assertThat(result.deliveries()).isEqualTo(1);
        assertThat(result.bodyFiles()).as("the purged delivery's file; the orphan is the file being written")
                .isEqualTo(1);
        assertThat(bodies.files()).containsExactly(before.get(1), before.get(2), before.get(3));
        DeliveryPayloads payloads = new DeliveryPayloads(ds, bodies);
        assertThat(payloads.body("old-unprocessed")).as("never deleted while not processed").hasValue(push(6));
        assertThat(payloads.body("recent")).hasValue(push(7));

        submit(record("next", "accepted", push(9), NOW));
        assertThat(retention.purge().bodyFiles()).as("the orphan, once another file is being written")
                .isEqualTo(1);
        assertThat(bodies.files()).containsExactly(before.get(1), before.get(2), bodies.files().get(2));
        assertThat(strings("SELECT file FROM delivery_body_files ORDER BY file"))
                .as("deleted files are forgotten").containsExactly("2", "3", "5");
        assertThat(retention.purge().total()).as("nothing more to delete").isZero();
    }

    @Test
    void aDamagedBodyIsReportedAndAMissingFileIsNoBody() throws Exception {
        DeliveryBodies bodies = bodies(1);
        inbox = inbox(bodies);
        submit(record("a", "accepted", push(10), NOW));
        submit(record("b", "accepted", push(11), NOW));
        List<Path> files = bodies.files();
        try (FileChannel c = FileChannel.open(files.get(0), StandardOpenOption.WRITE)) {
            c.write(java.nio.ByteBuffer.wrap(new byte[] { 0x5a }), 20);
        }
        DeliveryPayloads payloads = new DeliveryPayloads(ds, bodies);
        assertThatThrownBy(() -> payloads.body("a")).isInstanceOf(StoreException.class)
                .hasRootCauseMessage("delivery body at " + files.get(0).getFileName() + ":0 does not match its "
                        + "checksum");
        Files.delete(files.get(1));
        assertThat(payloads.body("b")).isEmpty();
    }

    @Test
    void aNewFileIsStartedOnceTheCurrentOneIsFullOrOld() throws Exception {
        DeliveryBodies bySize = new DeliveryBodies(dir.resolve("by-size"), false, 3 * 1024, Duration.ofHours(1));
        List<DeliveryBodies.Ref> refs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            refs.addAll(bySize.append(List.of(new StoredPayload.Encoded(new byte[1024], null))));
        }
        assertThat(refs).extracting(DeliveryBodies.Ref::file).containsExactly(1L, 1L, 1L, 2L);
        assertThat(refs).extracting(DeliveryBodies.Ref::offset).containsExactly(0L, 1032L, 2064L, 0L);
        assertThat(bySize.currentFile()).isEqualTo(2);
        bySize.close();

        DeliveryBodies byAge = new DeliveryBodies(dir.resolve("by-age"), false, 64L * 1024 * 1024, Duration.ZERO);
        assertThat(byAge.currentFile()).as("before the first append: the file it will start").isEqualTo(1);
        byAge.append(List.of(new StoredPayload.Encoded(new byte[10], null)));
        byAge.append(List.of(new StoredPayload.Encoded(new byte[10], null)));
        assertThat(byAge.files()).hasSize(2);
        byAge.close();
        assertThat(new DeliveryBodies(dir.resolve("by-age"), false).currentFile())
                .as("numbers go on after a restart").isEqualTo(3);
    }

    private DeliveryBodies bodies(long maxFileBytes) {
        return new DeliveryBodies(dir.resolve("bodies"), false, maxFileBytes, Duration.ofHours(1));
    }

    private DeliveryInbox inbox(DeliveryBodies bodies) {
        return new DeliveryInbox(ds, 16, true, new DeliveryJournal(dir.resolve("journal"), false), bodies, () -> { },
                3_600_000);
    }

    private DeliveryInbox.Outcome submit(DeliveryRecord r) throws Exception {
        return inbox.submit(r).get(10, TimeUnit.SECONDS);
    }

    /** A push-like JSON body of about 8 KB, different for each {@code n}. */
    private static byte[] push(int n) {
        StringBuilder b = new StringBuilder("{\"n\":" + n + ",\"commits\":[");
        for (int i = 0; i < 60; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\":\"").append(Integer.toHexString(n * 1000 + i))
                    .append("\",\"message\":\"Fix the flux capacitor, again\",\"author\":\"Octo Cat\"}");
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static DeliveryRecord record(String id, String status, byte[] payload, Instant createdAt) {
        return new DeliveryRecord(id, "github", "svc", "d-" + id, "push", payload, payload.length, false, "{}", true,
                status, "accepted".equals(status) ? 202 : 401, 3, "{\"id\":\"" + id + "\"}", null, createdAt,
                "accepted".equals(status) ? "github:svc:d-" + id : null);
    }

    private void update(String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private List<String> strings(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
