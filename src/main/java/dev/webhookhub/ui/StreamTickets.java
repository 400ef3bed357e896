package dev.webhookhub.ui;

import dev.webhookhub.security.RandomSecrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time tickets for the dashboard's live stream. A browser's EventSource cannot send an Authorization header, and
 * the admin token must never appear in a URL (logs, history, proxies), so the page trades its bearer token for a
 * ticket that opens one stream, once, within a short time.
 */
public final class StreamTickets {

    private final Map<String, Instant> issued = new ConcurrentHashMap<>();
    private final Duration validity;
    private final int maxOutstanding;
    private final Clock clock;

    public StreamTickets(Duration validity, int maxOutstanding, Clock clock) {
        this.validity = validity;
        this.maxOutstanding = maxOutstanding;
        this.clock = clock;
    }

    /** A new ticket, or null when too many unused ones are outstanding. */
    public String issue() {
        Instant now = clock.instant();
        issued.values().removeIf(expiry -> !expiry.isAfter(now));
        if (issued.size() >= maxOutstanding) {
            return null;
        }
        String ticket = RandomSecrets.token(32);
        issued.put(ticket, now.plus(validity));
        return ticket;
    }

    /** True once for a ticket issued less than the validity ago; the ticket is spent either way. */
    public boolean redeem(String ticket) {
        if (ticket == null || ticket.isEmpty()) {
            return false;
        }
        Instant expiry = issued.remove(ticket);
        return expiry != null && expiry.isAfter(clock.instant());
    }

    public Duration validity() {
        return validity;
    }
}
