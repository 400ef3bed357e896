package dev.webhookhub.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies the hub may hold in memory at once, across every connection. A request reserves its
 * Content-Length before its body is read (a body without one reserves each chunk as it arrives) and gives the bytes
 * back when its exchange ends, however it ends.
 */
public final class BodyBudget {

    private final long limit;
    private final AtomicLong inFlight = new AtomicLong();

    public BodyBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("hub.http.max-inflight-body-bytes must be positive, got " + limit);
        }
        this.limit = limit;
    }

    /** Takes {@code bytes} from the budget, or nothing and false when they do not fit. */
    public boolean tryReserve(long bytes) {
        while (true) {
            long current = inFlight.get();
            if (current + bytes > limit) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        inFlight.addAndGet(-bytes);
    }

    public long inFlight() {
        return inFlight.get();
    }

    public long limit() {
        return limit;
    }
}
