package dev.webhookhub.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.webhookhub.store.Database;
import dev.webhookhub.support.Postgres;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The upsert rules of pipeline_runs on a real H2 and a real PostgreSQL database. */
class PipelineRunStoreTest {

    private final List<HikariDataSource> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(HikariDataSource::close);
    }

    private PipelineRunStore h2() {
        HikariDataSource ds = Database.open("jdbc:h2:mem:runs-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "",
                32);
        opened.add(ds);
        return new PipelineRunStore(ds, "nobody");
    }

    private PipelineRunStore postgres() {
        HikariDataSource ds = Postgres.openFreshStore(32);
        opened.add(ds);
        return new PipelineRunStore(ds, "nobody");
    }

    static RunReport report(String status, String raw, String triggeredBy, String branch) {
        return new RunReport("jenkins", "shop", "42", status, raw, null, Instant.parse("2024-05-01T10:00:00Z"),
                PipelineStatus.isFinal(status) ? 1500L : null, triggeredBy, branch, null, null);
    }

    @Test
    void phasesMoveForwardOnH2() {
        phasesMoveForward(h2());
    }

    @Test
    void phasesMoveForwardOnPostgres() {
        phasesMoveForward(postgres());
    }

    private void phasesMoveForward(PipelineRunStore store) {
        UpsertOutcome queued = store.upsert(report("queued", "QUEUED", null, null));
        assertThat(queued.kind()).isEqualTo(UpsertOutcome.Kind.NEW);
        PipelineRun row = store.find(queued.runId()).orElseThrow();
        assertThat(row.triggeredBy()).isEqualTo("nobody");
        assertThat(row.durationMs()).isNull();

        assertThat(store.upsert(report("running", "STARTED", null, null)).kind()).isEqualTo(UpsertOutcome.Kind.UPDATED);
        assertThat(store.upsert(report("running", "STARTED", null, null)).kind())
                .isEqualTo(UpsertOutcome.Kind.UNCHANGED);
        assertThat(store.upsert(report("success", "SUCCESS", "admin", null)).kind())
                .isEqualTo(UpsertOutcome.Kind.UPDATED);
        // a late "started" with a field the row lacks: fills it in, status stays final
        UpsertOutcome late = store.upsert(report("running", "STARTED", "someone-else", "main"));
        assertThat(late.kind()).isEqualTo(UpsertOutcome.Kind.UPDATED);
        assertThat(store.upsert(report("queued", "QUEUED", null, null)).kind())
                .isEqualTo(UpsertOutcome.Kind.UNCHANGED);

        row = store.find(queued.runId()).orElseThrow();
        assertThat(row.status()).isEqualTo("success");
        assertThat(row.rawStatus()).isEqualTo("SUCCESS");
        assertThat(row.durationMs()).isEqualTo(1500L);
        assertThat(row.triggeredBy()).isEqualTo("admin");
        assertThat(row.branch()).isEqualTo("main");
        assertThat(store.list(new RunFilter("jenkins", "shop", null, null, null), 10, 0).total()).isEqualTo(1);
    }

    @Test
    void concurrentWritersMakeOneRowOnH2() throws Exception {
        concurrentWritersMakeOneRow(h2());
    }

    @Test
    void concurrentWritersMakeOneRowOnPostgres() throws Exception {
        concurrentWritersMakeOneRow(postgres());
    }

    private void concurrentWritersMakeOneRow(PipelineRunStore store) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 10; round++) {
                String number = String.valueOf(round);
                List<Callable<UpsertOutcome>> calls = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    String status = i % 3 == 0 ? "running" : "success";
                    calls.add(() -> store.upsert(new RunReport("jenkins", "race", number, status, null, null, null,
                            null, null, null, null, null)));
                }
                List<String> ids = new ArrayList<>();
                int created = 0;
                for (Future<UpsertOutcome> f : pool.invokeAll(calls)) {
                    ids.add(f.get().runId());
                    created += f.get().kind() == UpsertOutcome.Kind.NEW ? 1 : 0;
                }
                assertThat(created).isEqualTo(1);
                assertThat(ids).containsOnly(ids.get(0));
                assertThat(store.findByKey("jenkins", "race", number).orElseThrow().status()).isEqualTo("success");
            }
        } finally {
            pool.shutdown();
        }
        assertThat(store.list(new RunFilter(null, "race", null, null, null), 100, 0).total()).isEqualTo(10);
    }
}
