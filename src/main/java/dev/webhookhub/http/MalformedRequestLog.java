package dev.webhookhub.http;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests the HTTP server cannot make sense of (a path that is not valid percent-encoding, a malformed request line)
 * are answered 400 and logged here: at most one short WARN line per interval, with the count since the last line and
 * no stack trace, so anonymous garbage cannot flood the log.
 */
public final class MalformedRequestLog {

    private static final Logger LOG = LoggerFactory.getLogger(MalformedRequestLog.class);

    private final long intervalNanos;
    private final AtomicLong nextLineAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong unlogged = new AtomicLong();

    public MalformedRequestLog(long intervalMillis) {
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    public void refused(String method, String what, Throwable cause) {
        long count = unlogged.incrementAndGet();
        long now = System.nanoTime();
        long next = nextLineAt.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextLineAt.compareAndSet(next, now + intervalNanos)) {
            unlogged.addAndGet(-count);
            String reason = cause == null || cause.getMessage() == null ? "" : ": " + brief(cause.getMessage());
            LOG.warn("Refused {} malformed HTTP request(s) with 400 since the last such line; latest: {} {}{}", count,
                    method, brief(what), reason);
        }
    }

    private static String brief(String s) {
        String oneLine = s.replaceAll("[\\r\\n\\t]+", " ");
        return oneLine.length() > 120 ? oneLine.substring(0, 120) + "..." : oneLine;
    }
}
