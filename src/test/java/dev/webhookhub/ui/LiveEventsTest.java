package dev.webhookhub.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.events.HubEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live stream's fan-out: bounded per-stream buffers that drop and say so, and the cap on open streams. */
class LiveEventsTest {

    /** A browser whose thread runs queued tasks only when told, and whose socket may be full. */
    static final class SlowSink implements LiveEvents.Sink {
        final List<Runnable> queued = new ArrayList<>();
        final List<String> frames = new ArrayList<>();
        boolean full;

        @Override
        public void run(Runnable task) {
            queued.add(task);
        }

        @Override
        public boolean full() {
            return full;
        }

        @Override
        public boolean gone() {
            return false;
        }

        @Override
        public void write(String frame) {
            frames.add(frame);
        }

        void drain() {
            List<Runnable> tasks = new ArrayList<>(queued);
            queued.clear();
            tasks.forEach(Runnable::run);
        }
    }

    static HubEvent event(int n) {
        return new HubEvent("e" + n, "build_completed", Instant.parse("2026-12-01T00:00:00Z"), "jenkins:job",
                "job", null, null, Map.of("number", n, "at", Instant.parse("2026-12-01T00:00:0" + n + "Z")));
    }

    @Test
    void aStreamThatCannotKeepUpLosesEventsAndIsToldHowMany() {
        LiveEvents live = new LiveEvents(new ObjectMapper(), 5, 3);
        SlowSink slow = new SlowSink();
        SlowSink fast = new SlowSink();
        LiveEvents.Stream s = live.open(slow);
        live.open(fast);
        for (int i = 1; i <= 5; i++) {
            live.publish(event(i));
            fast.drain();
        }
        assertThat(fast.frames).hasSize(5);
        assertThat(fast.frames.get(0)).startsWith("id: e1\ndata: {").endsWith("}\n\n")
                .contains("\"type\":\"build_completed\"").contains("\"at\":\"2026-12-01T00:00:01Z\"");

        // the slow one holds 3 waiting events; 2 were dropped, and its next write says so first
        assertThat(slow.queued).hasSize(3);
        slow.drain();
        assertThat(slow.frames).hasSize(4);
        assertThat(slow.frames.get(0)).isEqualTo("event: dropped\ndata: {\"dropped\":2}\n\n");
        assertThat(slow.frames.subList(1, 4)).allSatisfy(f -> assertThat(f).startsWith("id: e"));
        assertThat(slow.frames.get(1)).startsWith("id: e1\n");
        live.publish(event(6));
        slow.drain();
        assertThat(slow.frames.get(4)).startsWith("id: e6\n");

        // a full socket drops too, and the next frame that fits says so
        slow.full = true;
        live.publish(event(7));
        slow.drain();
        slow.full = false;
        live.publish(event(8));
        slow.drain();
        assertThat(slow.frames).hasSize(7);
        assertThat(slow.frames.get(5)).isEqualTo("event: dropped\ndata: {\"dropped\":1}\n\n");
        assertThat(slow.frames.get(6)).startsWith("id: e8\n");

        live.closed(s);
        live.publish(event(9));
        assertThat(slow.queued).isEmpty();
    }

    @Test
    void streamsAreCapped() {
        LiveEvents live = new LiveEvents(new ObjectMapper(), 2, 10);
        LiveEvents.Stream a = live.open(new SlowSink());
        assertThat(live.open(new SlowSink())).isNotNull();
        assertThat(live.open(new SlowSink())).isNull();
        assertThat(live.openStreams()).isEqualTo(2);
        live.closed(a);
        live.closed(a);
        assertThat(live.openStreams()).isEqualTo(1);
        assertThat(live.open(new SlowSink())).isNotNull();
    }
}
