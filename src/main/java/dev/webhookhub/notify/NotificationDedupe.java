package dev.webhookhub.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The idempotent repository behind the notification routes' idempotent consumer: a key (event type, subject, status)
 * seen within the window is a duplicate, so identical events about the same subject are folded into the first
 * message. Entries expire after the window; a zero window lets everything through. Kept in memory: each hub instance
 * folds the events it raised itself.
 */
public final class NotificationDedupe extends ServiceSupport implements IdempotentRepository {

    private static final int MAX_KEYS = 100_000;

    private final Duration window;
    private final Clock clock;
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final AtomicLong folded = new AtomicLong();

    public NotificationDedupe(Duration window, Clock clock) {
        this.window = window;
        this.clock = clock;
    }

    public Duration window() {
        return window;
    }

    /** How many events were folded into an earlier message. */
    public long folded() {
        return folded.get();
    }

    @Override
    public boolean add(String key) {
        if (window.isZero() || window.isNegative()) {
            return true;
        }
        long now = clock.millis();
        if (seen.size() > MAX_KEYS) {
            evictExpired(now);
        }
        boolean[] added = { false };
        seen.compute(key, (k, at) -> {
            if (at == null || now - at >= window.toMillis()) {
                added[0] = true;
                return now;
            }
            return at;
        });
        if (!added[0]) {
            folded.incrementAndGet();
        }
        return added[0];
    }

    @Override
    public boolean contains(String key) {
        Long at = seen.get(key);
        return at != null && clock.millis() - at < window.toMillis();
    }

    @Override
    public boolean remove(String key) {
        return seen.remove(key) != null;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        seen.clear();
    }

    private void evictExpired(long now) {
        for (Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator(); it.hasNext();) {
            if (now - it.next().getValue() >= window.toMillis()) {
                it.remove();
            }
        }
    }
}
