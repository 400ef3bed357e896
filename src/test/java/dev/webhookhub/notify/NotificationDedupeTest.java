package dev.webhookhub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.webhookhub.store.Database;
import dev.webhookhub.support.Postgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class NotificationDedupeTest {

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static HikariDataSource h2() {
        return Database.open("jdbc:h2:mem:folds-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 4);
    }

    @Test
    void repeatsWithinTheWindowAreFoldedAndLetThroughAfterIt() {
        MovableClock clock = new MovableClock();
        try (HikariDataSource ds = h2()) {
            NotificationDedupe dedupe = new NotificationDedupe(ds, Duration.ofMinutes(5), clock);
            assertThat(dedupe.add("build_failed|service:1|failure")).isTrue();
            assertThat(dedupe.add("build_failed|service:1|failure")).isFalse();
            assertThat(dedupe.add("build_failed|service:2|failure")).isTrue();
            clock.now = clock.now.plus(Duration.ofMinutes(4));
            assertThat(dedupe.add("build_failed|service:1|failure")).isFalse();
            clock.now = clock.now.plus(Duration.ofMinutes(1));
            assertThat(dedupe.add("build_failed|service:1|failure")).isTrue();
            assertThat(dedupe.folded()).isEqualTo(2);
            assertThat(dedupe.remove("build_failed|service:1|failure")).isTrue();
            assertThat(dedupe.add("build_failed|service:1|failure")).isTrue();
        }
    }

    @Test
    void aZeroWindowFoldsNothing() {
        try (HikariDataSource ds = h2()) {
            NotificationDedupe dedupe = new NotificationDedupe(ds, Duration.ZERO, Clock.systemUTC());
            assertThat(dedupe.add("k")).isTrue();
            assertThat(dedupe.add("k")).isTrue();
        }
    }

    /** Two instances (two repositories, two pools) racing on one PostgreSQL: one event per window gets through. */
    @Test
    void instancesSharingPostgresLetOneEventThroughPerWindow() throws Exception {
        MovableClock clock = new MovableClock();
        try (HikariDataSource a = Postgres.openFreshStore(8);
                HikariDataSource b = new HikariDataSource(copyOf(a))) {
            NotificationDedupe first = new NotificationDedupe(a, Duration.ofMinutes(5), clock);
            NotificationDedupe second = new NotificationDedupe(b, Duration.ofMinutes(5), clock);
            assertThat(race(first, second, "deployment_failed|service:1|failed")).isEqualTo(1);
            clock.now = clock.now.plus(Duration.ofMinutes(5)); // the window has passed: the next event opens another
            assertThat(race(first, second, "deployment_failed|service:1|failed")).isEqualTo(1);
            assertThat(first.folded() + second.folded()).isEqualTo(2 * 15);
        }
    }

    private static int race(NotificationDedupe first, NotificationDedupe second, String key) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                NotificationDedupe d = i % 2 == 0 ? first : second;
                Callable<Boolean> task = () -> {
                    go.await();
                    return d.add(key);
                };
                results.add(pool.submit(task));
            }
            go.countDown();
            int passed = 0;
            for (Future<Boolean> f : results) {
                passed += f.get() ? 1 : 0;
            }
            return passed;
        } finally {
            pool.shutdownNow();
        }
    }

    private static com.zaxxer.hikari.HikariConfig copyOf(HikariDataSource ds) {
        com.zaxxer.hikari.HikariConfig c = new com.zaxxer.hikari.HikariConfig();
        c.setJdbcUrl(ds.getJdbcUrl());
        c.setUsername(ds.getUsername());
        c.setPassword(ds.getPassword());
        c.setMaximumPoolSize(8);
        return c;
    }
}
