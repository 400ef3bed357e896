package dev.webhookhub.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active notification settings by event type, kept in memory so an event nobody subscribed to (the frequent
 * webhook_received) costs one map lookup. Reloaded after the TTL (settings changed on another instance) and at once
 * after a change made through this instance's API. When the store cannot be read the last snapshot stays in use
 * (and the consumer of the bus never fails because of it).
 */
public final class NotificationSettingsCache {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationSettingsCache.class);

    private record Snapshot(Map<String, List<NotificationSetting>> byEvent, long loadedAt, long generation) {
    }

    private final NotificationStore store;
    private final Duration ttl;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private volatile Snapshot snapshot;

    public NotificationSettingsCache(NotificationStore store, Duration ttl, Clock clock) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The active settings that subscribe to the event type (any scope). */
    public List<NotificationSetting> forEvent(String eventType) {
        return current().byEvent().getOrDefault(eventType, List.of());
    }

    /** Makes the next lookup read the store (a load in progress at this moment is not used). */
    public void invalidate() {
        generation.incrementAndGet();
    }

    private boolean fresh(Snapshot s, long now) {
        return s != null && s.generation() == generation.get() && now - s.loadedAt() < ttl.toMillis();
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        long now = clock.millis();
        if (fresh(s, now)) {
            return s;
        }
        synchronized (this) {
            s = snapshot;
            if (fresh(s, now)) {
                return s;
            }
            long gen = generation.get();
            try {
                Map<String, List<NotificationSetting>> byEvent = new HashMap<>();
                for (NotificationSetting setting : store.activeSettings()) {
                    for (String event : setting.eventTriggers()) {
                        byEvent.computeIfAbsent(event, k -> new ArrayList<>()).add(setting);
                    }
                }
                s = new Snapshot(byEvent, now, gen);
            } catch (RuntimeException e) {
                // never fail the bus consumer: keep what was read last (nothing at first), retry after the TTL
                LOG.warn("cannot read notification settings, {}: {}", s == null ? "no notifications until it can"
                        : "using the last ones read", e.toString());
                s = new Snapshot(s == null ? Map.of() : s.byEvent(), now, gen);
            }
            snapshot = s;
            return s;
        }
    }
}
