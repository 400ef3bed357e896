package dev.webhookhub.deliveries;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryJournalTest {

    @TempDir
    Path dir;

    static DeliveryRecord record(String id, byte[] payload) {
        return new DeliveryRecord(id, "github", "svc", "d-" + id, "push", payload, payload == null ? 0 : payload.length,
                false, "{\"X-GitHub-Event\":\"push\"}", true, "accepted", 202, 3, "{\"id\":\"" + id + "\"}", null,
                Instant.parse("2026-11-25T10:00:00.123456789Z"), "github:svc:d-" + id);
    }

    @Test
    void recordsRoundTripAcrossSegmentsInOrder() throws Exception {
        DeliveryJournal journal = new DeliveryJournal(dir, false);
        journal.append(List.of(record("a", "{\"x\":1}".getBytes(StandardCharsets.UTF_8)), record("b", null)));
        journal.rotate();
        journal.append(List.of(record("c", new byte[70_000])));
        journal.close();

        List<DeliveryRecord> read = new ArrayList<>();
        new DeliveryJournal(dir, false).replay(read::add);

        assertThat(read).extracting(DeliveryRecord::id).containsExactly("a", "b", "c");
        DeliveryRecord a = read.get(0);
        assertThat(a.payload()).isEqualTo("{\"x\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(a.signatureValid()).isTrue();
        assertThat(a.createdAt()).isEqualTo(Instant.parse("2026-11-25T10:00:00.123456789Z"));
        assertThat(a.idempotencyKey()).isEqualTo("github:svc:d-a");
        assertThat(read.get(1).payload()).isNull();
        assertThat(read.get(2).payload()).hasSize(70_000);
    }

    @Test
    void aTornLastRecordIsIgnored() throws Exception {
        DeliveryJournal journal = new DeliveryJournal(dir, false);
        journal.append(List.of(record("a", new byte[100]), record("b", new byte[100])));
        journal.close();
        Path segment = journal.segments().get(0);
        long size = Files.size(segment);
        // the process died in the middle of writing the last record
        try (var ch = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 10);
        }

        List<DeliveryRecord> read = new ArrayList<>();
        new DeliveryJournal(dir, false).replay(read::add);

        assertThat(read).extracting(DeliveryRecord::id).containsExactly("a");
    }

    @Test
    void aNewJournalContinuesTheSegmentNumbering() throws Exception {
        DeliveryJournal first = new DeliveryJournal(dir, false);
        first.append(List.of(record("a", null)));
        first.close();
        DeliveryJournal second = new DeliveryJournal(dir, true);
        second.append(List.of(record("b", null)));
        second.close();

        assertThat(second.segments()).hasSize(2);
        List<DeliveryRecord> read = new ArrayList<>();
        second.replay(read::add);
        assertThat(read).extracting(DeliveryRecord::id).containsExactly("a", "b");
    }

    @Test
    void batchesOfEverySizeRoundTripThroughTheReusedBuffer() throws Exception {
        DeliveryJournal journal = new DeliveryJournal(dir, false);
        DeliveryRecord text = new DeliveryRecord("ü", "github", "svc", "d-ü", "push",
                "{\"msg\":\"fix ß → ✓\"}".getBytes(StandardCharsets.UTF_8), 22, false, "{\"h\":\"ü€😀\"}", null,
                "accepted", 202, 1, "{\"m\":\"✓ 😀\"}", "ошибка", Instant.parse("2026-11-25T10:00:00Z"), null);
        List<DeliveryRecord> big = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            big.add(record("big-" + i, new byte[8_000 + i]));
        }
        journal.append(List.of(record("small", new byte[10])));
        journal.append(big);                                   // grows the buffer
        journal.append(List.of(text));                         // reuses it: no bytes of the last batch may leak
        journal.append(List.of(record("huge", new byte[9 * 1024 * 1024]))); // over what is kept
        journal.append(List.of(record("after", new byte[5])));
        journal.close();

        List<DeliveryRecord> read = new ArrayList<>();
        new DeliveryJournal(dir, false).replay(read::add);

        assertThat(read).hasSize(304);
        assertThat(read.get(0).id()).isEqualTo("small");
        for (int i = 0; i < 300; i++) {
            assertThat(read.get(1 + i).id()).isEqualTo("big-" + i);
            assertThat(read.get(1 + i).payload()).hasSize(8_000 + i);
        }
        DeliveryRecord t = read.get(301);
        assertThat(t.id()).isEqualTo("ü");
        assertThat(new String(t.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"msg\":\"fix ß → ✓\"}");
        assertThat(t.headersJson()).isEqualTo("{\"h\":\"ü€😀\"}");
        assertThat(t.eventJson()).isEqualTo("{\"m\":\"✓ 😀\"}");
        assertThat(t.error()).isEqualTo("ошибка");
        assertThat(t.signatureValid()).isNull();
        assertThat(t.idempotencyKey()).isNull();
        assertThat(read.get(302).payload()).hasSize(9 * 1024 * 1024);
        assertThat(read.get(303).id()).isEqualTo("after");
        long recordBytes = 0;
        for (DeliveryRecord r : read) {
            recordBytes += r.payload() == null ? 0 : r.payload().length;
        }
        assertThat(Files.size(journal.segments().get(0))).as("no padding written").isLessThan(recordBytes + 304 * 400);
    }
}
