package dev.webhookhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AuthFailuresTest {

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @Test
    void aClientIsRefusedAfterTheLimitUntilTheMinuteHasPassed() {
        MovableClock clock = new MovableClock();
        AuthFailures failures = new AuthFailures(3, 100, clock);
        for (int i = 0; i < 2; i++) {
            failures.failed("10.0.0.1", "test");
            assertThat(failures.retryAfterSeconds("10.0.0.1")).isZero();
        }
        failures.failed("10.0.0.1", "test");
        assertThat(failures.retryAfterSeconds("10.0.0.1")).isEqualTo(60);
        assertThat(failures.retryAfterSeconds("10.0.0.2")).as("other clients are not refused").isZero();

        clock.advance(Duration.ofSeconds(45));
        assertThat(failures.retryAfterSeconds("10.0.0.1")).isEqualTo(15);
        clock.advance(Duration.ofSeconds(15));
        assertThat(failures.retryAfterSeconds("10.0.0.1")).isZero();

        // a new window starts counting from zero
        failures.failed("10.0.0.1", "test");
        assertThat(failures.retryAfterSeconds("10.0.0.1")).isZero();
    }

    @Test
    void memoryIsBoundedByTheNumberOfTrackedClients() {
        AuthFailures failures = new AuthFailures(2, 50, new MovableClock());
        for (int i = 0; i < 1000; i++) {
            failures.failed("10.1." + (i / 256) + "." + (i % 256), "test");
        }
        assertThat(failures.trackedClients()).isEqualTo(50);
        // the most recent ones are kept
        failures.failed("10.1.3.231", "test");
        assertThat(failures.retryAfterSeconds("10.1.3.231")).isPositive();
    }
}
