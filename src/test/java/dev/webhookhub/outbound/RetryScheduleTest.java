package dev.webhookhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    @Test
    void parsesTheDefaultSchedule() {
        RetrySchedule s = RetrySchedule.parse(RetrySchedule.DEFAULT, 0);
        assertThat(s.maxAttempts()).isEqualTo(8);
        assertThat(s.first()).isEqualTo(Duration.ZERO);
        assertThat(s.after(1)).contains(Duration.ofSeconds(5));
        assertThat(s.after(2)).contains(Duration.ofMinutes(5));
        assertThat(s.after(7)).contains(Duration.ofHours(10));
        assertThat(s.after(8)).isEmpty();
        assertThat(RetrySchedule.parse("0s,100ms,1d", 0).after(1)).contains(Duration.ofMillis(100));
    }

    @Test
    void jitterOnlyAddsUpToTheFraction() {
        RetrySchedule s = RetrySchedule.parse("0s,10s", 0.5);
        for (int i = 0; i < 100; i++) {
            Duration d = s.after(1).orElseThrow();
            assertThat(d).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(15));
        }
    }

    @Test
    void rejectsBadEntries() {
        assertThatThrownBy(() -> RetrySchedule.parse("5x", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetrySchedule.parse("-5s", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetrySchedule.parse("", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsRetryAfterAsSecondsOrHttpDate() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(OutboundDispatcher.retryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(OutboundDispatcher.retryAfter("Thu, 01 Jan 2026 00:01:00 GMT", now))
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(OutboundDispatcher.retryAfter("999999999", now)).isEqualTo(Duration.ofDays(1));
        assertThat(OutboundDispatcher.retryAfter("soon", now)).isNull();
        assertThat(Optional.ofNullable(OutboundDispatcher.retryAfter(null, now))).isEmpty();
    }
}
