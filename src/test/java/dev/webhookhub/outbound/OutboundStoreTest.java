package dev.webhookhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.webhookhub.store.Database;
import dev.webhookhub.store.StoreFlush;
import dev.webhookhub.store.TimeOrderedIds;
import dev.webhookhub.support.Postgres;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The outbox on both databases: claims are exclusive, leases expire, attempts and redelivery are recorded. */
class OutboundStoreTest {

    @TempDir
    Path dir;

    private HikariDataSource open(String db) {
        if (db.equals("h2")) {
            return Database.open("jdbc:h2:file:" + dir.resolve("hub").toAbsolutePath(), "sa", "", 8);
        }
        return Postgres.openFreshStore(8);
    }

    private static OutboundEndpoint endpoint(Instant now) {
        return new OutboundEndpoint(TimeOrderedIds.next(), "http://127.0.0.1:1/hook", "d", List.of("a.*"), "github",
                "v1:x", null, null, Map.of("X-A", "b"), 30, true, null, null, null, now, now);
    }

    private static OutboundMessage pending(String endpointId, Instant now) {
        return new OutboundMessage(TimeOrderedIds.next(), endpointId, "a.b", "{\"x\":1}".getBytes(),
                OutboundMessage.PENDING, 0, now, null, null, now, null);
    }

    @ParameterizedTest
    @ValueSource(strings = { "h2", "postgres" })
    void twoClaimersNeverTakeTheSameMessage(String db) throws Exception {
        try (HikariDataSource ds = open(db)) {
            OutboundStore store = new OutboundStore(ds, StoreFlush.NONE, new ObjectMapper(),
                    new dev.webhookhub.security.SecretCipher(new byte[32]));
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            OutboundEndpoint e = endpoint(now);
            store.insertEndpoint(e);
            List<OutboundMessage> rows = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                rows.add(pending(e.id(), now));
            }
            store.insertMessages(rows);
            assertThat(store.endpoint(e.id()).orElseThrow().headers()).containsEntry("X-A", "b");

            Set<String> claimed = ConcurrentHashMap.newKeySet();
            AtomicInteger duplicates = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < 4; t++) {
                pool.submit(() -> {
                    start.await();
                    Instant at = Instant.now();
                    for (String id : store.dueFor(e.id(), at, 500)) {
                        if (store.claim(id, at, at.plusSeconds(60)) && !claimed.add(id)) {
                            duplicates.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(duplicates.get()).isZero();
            assertThat(claimed).hasSize(200);
            assertThat(store.dueFor(e.id(), Instant.now(), 500)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "h2", "postgres" })
    void expiredLeasesAreClaimedAgainAndAttemptsAreKept(String db) {
        try (HikariDataSource ds = open(db)) {
            OutboundStore store = new OutboundStore(ds, StoreFlush.NONE, new ObjectMapper(),
                    new dev.webhookhub.security.SecretCipher(new byte[32]));
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            OutboundEndpoint e = endpoint(now);
            store.insertEndpoint(e);
            OutboundMessage m = pending(e.id(), now);
            store.insertMessages(List.of(m));
            assertThat(store.claim(m.id(), now, now.plusSeconds(5))).isTrue();
            assertThat(store.claim(m.id(), now.plusSeconds(1), now.plusSeconds(6))).isFalse();
            // the claimer died: after the lease another instance takes it
            assertThat(store.dueFor(e.id(), now.plusSeconds(10), 10)).containsExactly(m.id());
            assertThat(store.claim(m.id(), now.plusSeconds(10), now.plusSeconds(70))).isTrue();

            store.recordAttempt(new OutboundAttempt(m.id(), 0, now, 503, "busy", "HTTP 503", 12),
                    OutboundMessage.PENDING, 1, now.plusSeconds(30), null);
            assertThat(store.dueFor(e.id(), now.plusSeconds(20), 10)).isEmpty();
            assertThat(store.dueFor(e.id(), now.plusSeconds(31), 10)).hasSize(1);
            store.claim(m.id(), now.plusSeconds(31), now.plusSeconds(90));
            store.recordAttempt(new OutboundAttempt(m.id(), 0, now, 400, "no", "HTTP 400", 3),
                    OutboundMessage.FAILED, 2, null, null);
            OutboundMessage failed = store.message(m.id()).orElseThrow();
            assertThat(failed.status()).isEqualTo(OutboundMessage.FAILED);
            assertThat(failed.attempts()).isEqualTo(2);
            assertThat(failed.lastStatusCode()).isEqualTo(400);
            assertThat(new String(failed.payload())).isEqualTo("{\"x\":1}");

            assertThat(store.redeliver(m.id(), now.plusSeconds(40))).isTrue();
            assertThat(store.message(m.id()).orElseThrow().status()).isEqualTo(OutboundMessage.PENDING);
            assertThat(store.attempts(m.id())).extracting(OutboundAttempt::attempt).containsExactly(1, 2);
            assertThat(store.attempts(m.id())).extracting(OutboundAttempt::statusCode).containsExactly(503, 400);

            // disabled endpoints' messages wait
            store.disableEndpoint(e.id(), "410", now);
            assertThat(store.enabledEndpoints()).isEmpty();
            assertThat(store.enabledEndpoints()).isEmpty();
        }
    }
}
