package dev.webhookhub.outbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When each attempt of a message happens, counted from the previous one: entry 0 is the delay of the first attempt
 * (usually {@code 0s}), entry n the wait before attempt n+1. The schedule's length is the number of attempts.
 * Parsed from e.g. {@code 0s,5s,5m,30m,2h,5h,10h,10h} (units ms, s, m, h, d). Waits get up to {@code jitter}
 * (a fraction) added at random, so retries from many messages do not arrive together.
 */
public final class RetrySchedule {

    public static final String DEFAULT = "0s,5s,5m,30m,2h,5h,10h,10h";

    private final List<Duration> delays;
    private final double jitter;

    public RetrySchedule(List<Duration> delays, double jitter) {
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("the retry schedule needs at least one entry");
        }
        this.delays = List.copyOf(delays);
        this.jitter = jitter;
    }

    public static RetrySchedule parse(String text, double jitter) {
        List<Duration> delays = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                delays.add(duration(part.trim()));
            }
        }
        return new RetrySchedule(delays, jitter);
    }

    /** A duration such as {@code 500ms}, {@code 5s}, {@code 5m}, {@code 2h}, {@code 5d}. */
    public static Duration duration(String s) {
        String v = s.toLowerCase(Locale.ROOT);
        String[][] units = { { "ms", "1" }, { "s", "1000" }, { "m", "60000" }, { "h", "3600000" }, { "d", "86400000" } };
        for (String[] u : units) {
            if (v.endsWith(u[0]) && !(u[0].equals("s") && v.endsWith("ms"))) {
                String number = v.substring(0, v.length() - u[0].length()).trim();
                try {
                    long n = Long.parseLong(number);
                    if (n < 0) {
                        break;
                    }
                    return Duration.ofMillis(n * Long.parseLong(u[1]));
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("bad retry schedule entry '" + s + "' (use e.g. 0s, 500ms, 5m, 2h)");
    }

    public int maxAttempts() {
        return delays.size();
    }

    /** The delay before the first attempt. */
    public Duration first() {
        return delays.get(0);
    }

    /** The wait after {@code attemptsMade} failed attempts, with jitter; empty when the schedule is exhausted. */
    public java.util.Optional<Duration> after(int attemptsMade) {
        if (attemptsMade >= delays.size()) {
            return java.util.Optional.empty();
        }
        Duration d = delays.get(attemptsMade);
        long extra = jitter <= 0 || d.isZero() ? 0 : (long) (d.toMillis() * jitter * ThreadLocalRandom.current().nextDouble());
        return java.util.Optional.of(d.plusMillis(extra));
    }

    public List<Duration> delays() {
        return delays;
    }
}
