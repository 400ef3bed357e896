package dev.webhookhub.security;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wrong credentials per client address (admin API and management): logged at most once a minute per client with a
 * count (never the presented credential), and past {@code limit} failures within a minute the client is refused
 * (HTTP 429 with Retry-After) until that minute has passed. Memory is bounded: at most {@code maxClients} addresses
 * are tracked, the least recently seen are forgotten first.
 */
public final class AuthFailures {

    public static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(AuthFailures.class);

    private final int limit;
    private final int maxClients;
    private final Clock clock;
    private final Map<String, Window> clients;

    private static final class Window {
        long start;
        int failures;
        int previousFailures;
        boolean blockLogged;
    }

    public AuthFailures(int limit, int maxClients, Clock clock) {
        if (limit < 1 || maxClients < 1) {
            throw new IllegalArgumentException("limit and maxClients must be positive");
        }
        this.limit = limit;
        this.maxClients = maxClients;
        this.clock = clock;
        this.clients = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > AuthFailures.this.maxClients;
            }
        };
    }

    /** Seconds until {@code client} may authenticate again; 0 when it is not refused. */
    public synchronized long retryAfterSeconds(String client) {
        Window w = clients.get(key(client));
        if (w == null) {
            return 0;
        }
        long left = w.start + WINDOW.toMillis() - clock.millis();
        if (left <= 0 || w.failures < limit) {
            return 0;
        }
        return Math.max(1, (left + 999) / 1000);
    }

    /** Counts one wrong credential from {@code client}; {@code where} names what it was presented to. */
    public synchronized void failed(String client, String where) {
        String key = key(client);
        long now = clock.millis();
        Window w = clients.get(key);
        if (w == null) {
            w = new Window();
            w.start = now;
            clients.put(key, w);
        } else if (now - w.start >= WINDOW.toMillis()) {
            w.previousFailures = w.failures;
            w.start = now;
            w.failures = 0;
            w.blockLogged = false;
        }
        w.failures++;
        if (w.failures == 1) {
            LOG.warn("failed authentication from {} on {}{}", key, where, w.previousFailures > 1
                    ? " (" + w.previousFailures + " failures from this client in the minute before)" : "");
        } else if (w.failures >= limit && !w.blockLogged) {
            w.blockLogged = true;
            LOG.warn("{} failed authentications from {} within a minute (last on {}); it is refused with 429 until "
                    + "the minute has passed", w.failures, key, where);
        }
    }

    /** Number of clients tracked (for tests of the memory bound). */
    public synchronized int trackedClients() {
        return clients.size();
    }

    private static String key(String client) {
        return client == null || client.isBlank() ? "unknown" : client;
    }
}
