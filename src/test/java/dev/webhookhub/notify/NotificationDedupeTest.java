package dev.webhookhub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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

    @Test
    void repeatsWithinTheWindowAreFoldedAndLetThroughAfterIt() {
        MovableClock clock = new MovableClock();
        NotificationDedupe dedupe = new NotificationDedupe(Duration.ofMinutes(5), clock);
        assertThat(dedupe.add("build_failed|service:1|failure")).isTrue();
        assertThat(dedupe.add("build_failed|service:1|failure")).isFalse();
        assertThat(dedupe.add("build_failed|service:2|failure")).isTrue();
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        assertThat(dedupe.add("build_failed|service:1|failure")).isFalse();
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(dedupe.add("build_failed|service:1|failure")).isTrue();
        assertThat(dedupe.folded()).isEqualTo(2);
    }

    @Test
    void aZeroWindowFoldsNothing() {
        NotificationDedupe dedupe = new NotificationDedupe(Duration.ZERO, Clock.systemUTC());
        assertThat(dedupe.add("k")).isTrue();
        assertThat(dedupe.add("k")).isTrue();
    }
}
