package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.store.Jdbc;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.Receiver.Answer;
import dev.webhookhub.support.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short retries are made by the sender route's error handler (Camel redelivery) rather than by the next outbox
 * poll; a stop that cannot wait for a retry hands it back to the outbox at the time it was due.
 */
class OutboundInProcessRetryTest {

    @TempDir
    Path dataDir;

    @Test
    void aShortRetryIsMadeInProcessWithoutWaitingForTheNextPoll() throws Exception {
        // the poller runs every 3 s: a retry through the outbox could not come sooner than the next poll
        try (Receiver rx = new Receiver(n -> Answer.of(n == 0 ? 503 : 200));
                TestHub hub = TestHub.start(dataDir, settings("3000", "0s,300ms,1h"))) {
            String id = publish(hub, subscribe(hub, rx.url())).get();
            await(() -> "delivered".equals(message(hub, id).get("status").asText()), Duration.ofSeconds(15));

            JsonNode m = message(hub, id);
            assertThat(m.get("attempts").asInt()).isEqualTo(2);
            assertThat(m.get("attempt_history").get(0).get("status_code").asInt()).isEqualTo(503);
            assertThat(rx.requests()).hasSize(2);
            long gap = Duration.between(rx.requests().get(0).at(), rx.requests().get(1).at()).toMillis();
            assertThat(gap).as("the retry follows the schedule's 300 ms, not the 3 s poll").isBetween(250L, 1500L);
        }
    }

    @Test
    void aStopHandsAWaitingRetryBackToTheOutbox() throws Exception {
        try (Receiver rx = new Receiver(n -> Answer.of(n == 0 ? 500 : 200))) {
            String id;
            Instant firstAttempt;
            Map<String, String> first = settings("50", "0s,4s,1h");
            // a stop normally lets a waiting retry finish; one that runs out of time hands it back
            first.put("camel.main.shutdown-timeout", "1");
            try (TestHub hub = TestHub.start(dataDir, first)) {
                id = publish(hub, subscribe(hub, rx.url())).get();
                await(() -> message(hub, id).get("attempts").asInt() == 1, Duration.ofSeconds(10));
                assertThat(message(hub, id).get("status").asText()).as("claimed while the retry waits")
                        .isEqualTo("delivering");
                firstAttempt = rx.requests().get(0).at();
            }
            assertThat(rx.requests()).as("the retry was not made by the stopped hub").hasSize(1);
            try (TestHub hub = TestHub.start(dataDir, settings("50", "0s,4s,1h"))) {
                Instant due = nextAttemptAt(hub, id);
                assertThat(due).isBetween(firstAttempt.plusSeconds(3), firstAttempt.plusSeconds(5));
                await(() -> "delivered".equals(message(hub, id).get("status").asText()), Duration.ofSeconds(15));
                assertThat(rx.requests()).hasSize(2);
                assertThat(rx.requests().get(1).at()).isAfterOrEqualTo(due.minusMillis(100));
            }
        }
    }

    private static Map<String, String> settings(String pollMs, String schedule) {
        Map<String, String> s = new HashMap<>();
        s.put("hub.outbound.poll-interval-ms", pollMs);
        s.put("hub.outbound.retry-schedule", schedule);
        s.put("hub.outbound.retry-jitter", "0");
        return s;
    }

    private static String subscribe(TestHub hub, String url) {
        HttpResponse<String> r = hub.admin("POST", "/api/outbound/endpoints", "{\"url\":\"" + url
                + "\",\"event_types\":[\"retry.test\"],\"signature_scheme\":\"github\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return "retry.test";
    }

    private static java.util.function.Supplier<String> publish(TestHub hub, String type) {
        String id = hub.context().getRegistry().lookupByNameAndType("outboundPublisher", OutboundPublisher.class)
                .publish(type, "{\"n\":1}").get(0);
        return () -> id;
    }

    private static JsonNode message(TestHub hub, String id) {
        HttpResponse<String> r = hub.admin("GET", "/api/outbound/messages/" + id, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestHub.json(r);
    }

    private static Instant nextAttemptAt(TestHub hub, String id) throws Exception {
        try (Connection c = hub.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT status, next_attempt_at FROM outbound_messages WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("status")).isIn("pending", "delivering", "delivered");
                return Jdbc.getInstant(rs, "next_attempt_at");
            }
        }
    }

    private static void await(BooleanSupplier condition, Duration within) {
        Await.until(condition, within, "the message state");
    }
}
