package dev.webhookhub.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.events.HubEvent;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans the hub's bus events out to the dashboard's connected server-sent-event streams. Called on the bus consumer's
 * thread, it never blocks: each event is handed to each stream's own Vert.x context, and a stream that cannot keep
 * up (more than {@code bufferEvents} events waiting, or its socket's write queue full) loses events; it is told how
 * many with an {@code event: dropped} message as soon as it can take one, so the page reloads what it shows.
 */
public final class LiveEvents {

    private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);

    private final ObjectMapper mapper;
    private final int maxStreams;
    private final int bufferEvents;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();

    public LiveEvents(ObjectMapper mapper, int maxStreams, int bufferEvents) {
        this.mapper = mapper;
        this.maxStreams = maxStreams;
        this.bufferEvents = bufferEvents;
    }

    /** Where one stream's frames go: a response, written on its own thread (the Vert.x context). */
    interface Sink {
        /** Runs a task on the sink's own thread. */
        void run(Runnable task);

        /** True when the socket's write queue is over its limit. */
        boolean full();

        boolean gone();

        void write(String frame);
    }

    /** One connected browser. */
    final class Stream {
        private final Sink sink;
        private final AtomicInteger waiting = new AtomicInteger();
        private final AtomicLong dropped = new AtomicLong();
        private volatile boolean closed;

        Stream(Sink sink) {
            this.sink = sink;
        }

        void offer(String frame) {
            if (closed) {
                return;
            }
            if (waiting.incrementAndGet() > bufferEvents) {
                waiting.decrementAndGet();
                dropped.incrementAndGet();
                return;
            }
            sink.run(() -> {
                waiting.decrementAndGet();
                write(frame);
            });
        }

        /** On the sink's thread. */
        private void write(String frame) {
            if (closed || sink.gone()) {
                return;
            }
            if (sink.full()) {
                dropped.incrementAndGet();
                return;
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                sink.write("event: dropped\ndata: {\"dropped\":" + lost + "}\n\n");
            }
            sink.write(frame);
            sent.incrementAndGet();
        }

        void close() {
            closed = true;
        }
    }

    /** A Vert.x response as a sink, written on the context that accepted the request. */
    static Sink sink(HttpServerResponse response, Context context) {
        return new Sink() {
            @Override
            public void run(Runnable task) {
                context.runOnContext(v -> task.run());
            }

            @Override
            public boolean full() {
                return response.writeQueueFull();
            }

            @Override
            public boolean gone() {
                return response.closed() || response.ended();
            }

            @Override
            public void write(String frame) {
                response.write(frame);
            }
        };
    }

    /** Registers a stream, or returns null when {@code maxStreams} are open already. */
    Stream open(Sink sink) {
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            return null;
        }
        Stream s = new Stream(sink);
        streams.add(s);
        return s;
    }

    void closed(Stream s) {
        s.close();
        if (streams.remove(s)) {
            open.decrementAndGet();
        }
    }

    /** The bus consumer's entry point (routes/dashboard-live.yaml). */
    public void publish(HubEvent event) {
        if (streams.isEmpty()) {
            return;
        }
        String frame;
        try {
            frame = "id: " + event.id() + "\ndata: " + mapper.writeValueAsString(json(event)) + "\n\n";
        } catch (Exception e) {
            LOG.warn("live stream: event {} {} could not be written as JSON: {}", event.type(), event.id(),
                    e.toString());
            return;
        }
        for (Stream s : streams) {
            s.offer(frame);
        }
    }

    public int openStreams() {
        return open.get();
    }

    public long sentEvents() {
        return sent.get();
    }

    ObjectNode json(HubEvent e) {
        ObjectNode o = mapper.createObjectNode();
        o.put("id", e.id());
        o.put("type", e.type());
        o.put("time", e.time().toString());
        o.put("subject", e.subject());
        o.put("subject_key", e.subjectKey());
        o.put("service_id", e.serviceId());
        o.put("sync_config_id", e.syncConfigId());
        o.set("data", value(e.data()));
        return o;
    }

    /** Plain JSON for the data map: strings, numbers, booleans, maps and lists as they are, anything else as text. */
    private JsonNode value(Object v) {
        if (v == null) {
            return mapper.nullNode();
        }
        if (v instanceof JsonNode n) {
            return n;
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return mapper.valueToTree(v);
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = mapper.createObjectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), value(x)));
            return o;
        }
        if (v instanceof Collection<?> c) {
            ArrayNode a = mapper.createArrayNode();
            c.forEach(x -> a.add(value(x)));
            return a;
        }
        return mapper.getNodeFactory().textNode(v.toString());
    }
}
