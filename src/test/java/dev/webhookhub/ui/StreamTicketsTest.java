package dev.webhookhub.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StreamTicketsTest {

    static final class MovableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00Z"));

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.set(now.get().plus(d));
        }
    }

    @Test
    void aTicketOpensOneStreamOnceWithinItsValidity() {
        MovableClock clock = new MovableClock();
        StreamTickets tickets = new StreamTickets(Duration.ofSeconds(60), 3, clock);
        String a = tickets.issue();
        String b = tickets.issue();
        assertThat(a).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo(b);
        assertThat(tickets.redeem(a)).isTrue();
        assertThat(tickets.redeem(a)).as("spent").isFalse();
        assertThat(tickets.redeem(null)).isFalse();
        assertThat(tickets.redeem("")).isFalse();
        assertThat(tickets.redeem("made-up")).isFalse();

        clock.advance(Duration.ofSeconds(60));
        assertThat(tickets.redeem(b)).as("expired").isFalse();
    }

    @Test
    void unusedTicketsAreCappedUntilTheyExpire() {
        MovableClock clock = new MovableClock();
        StreamTickets tickets = new StreamTickets(Duration.ofSeconds(60), 2, clock);
        assertThat(tickets.issue()).isNotNull();
        assertThat(tickets.issue()).isNotNull();
        assertThat(tickets.issue()).isNull();
        clock.advance(Duration.ofSeconds(61));
        assertThat(tickets.issue()).isNotNull();
    }
}
