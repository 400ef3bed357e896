package dev.webhookhub.events;

import dev.webhookhub.store.TimeOrderedIds;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's internal event bus: a SEDA topic ({@code hub.events.endpoint}, multiple consumers). Every capability
 * publishes here; every interested flow consumes it with a route {@code from: "{{hub.events.endpoint}}"}.
 * Publishing never blocks or fails the publisher: when the queue is full the event is dropped with a warning and
 * counted ({@link #dropped()}), because the work that raised it has already been committed. With
 * {@code dev.webhookhub.events} at DEBUG every event is logged here, on the publisher's thread: a route that only logged
 * them was one more copy of every event for the topic to hand out (bench/README.md, "Tenth session").
 */
public final class EventBus {

    public static final String ENDPOINT_PROPERTY = "hub.events.endpoint";
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private final CamelContext context;
    private final ProducerTemplate producer;
    private final String endpointUri;
    /** Resolved on the first publish: resolving the URI for every event cost as much as sending it. */
    private volatile Endpoint endpoint;
    private final AtomicLong dropped = new AtomicLong();

    public EventBus(CamelContext context) {
        this.context = context;
        this.producer = context.createProducerTemplate();
        this.endpointUri = context.resolvePropertyPlaceholders("{{" + ENDPOINT_PROPERTY + "}}");
    }

    public void publish(HubEvent event) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("event {} {} about {} ({})", event.type(), event.id(), event.subjectKey(), event.subject());
        }
        try {
            producer.sendBody(endpoint(), event);
        } catch (RuntimeException e) {
            long n = dropped.incrementAndGet();
            LOG.warn("event bus: {} event {} about {} dropped ({} dropped so far): {}", event.type(), event.id(),
                    event.subjectKey(), n, rootMessage(e));
        }
    }

    private Endpoint endpoint() {
        Endpoint e = endpoint;
        if (e == null) {
            e = context.getEndpoint(endpointUri);
            endpoint = e;
        }
        return e;
    }

    /** Builds and publishes an event; returns it. */
    public HubEvent publish(String type, String subjectKey, String subject, String serviceId, String syncConfigId,
            Map<String, Object> data) {
        HubEvent event = new HubEvent(TimeOrderedIds.next(), type, Instant.now(), subjectKey, subject, serviceId,
                syncConfigId, data);
        publish(event);
        return event;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    public long dropped() {
        return dropped.get();
    }
}
