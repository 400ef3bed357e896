package dev.webhookhub.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests: a condition or an assertion is checked every 50 ms until it holds or the time is up. */
public final class Await {

    /** An assertion that may throw while the awaited state is not there yet. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    private Await() {
    }

    /** Returns once {@code condition} holds; fails naming {@code what} after {@code within}. */
    public static void until(BooleanSupplier condition, Duration within, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + within.toSeconds() + " s waiting for " + what);
            }
            sleep(50);
        }
    }

    /** Returns once {@code check} passes; after {@code within} its last assertion error is thrown. */
    public static void untilAsserted(Duration within, Check check) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(50);
            }
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
