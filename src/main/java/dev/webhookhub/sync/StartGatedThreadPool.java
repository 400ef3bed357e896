package dev.webhookhub.sync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.quartz.simpl.SimpleThreadPool;

/**
 * The clustered scheduler's worker threads, held back until the hub has started. The scheduler itself starts before
 * the routes (so their new triggers honour {@code triggerStartDelay}), but a job must not run before its route is
 * there: camel-quartz would then build an endpoint from the job's stored URI, which may be stale and breaks the
 * start. While the gate is closed the scheduler acquires no trigger (it sees no free thread); a tick that became due
 * meanwhile fires once the gate opens (misfire rules as usual).
 */
public final class StartGatedThreadPool extends SimpleThreadPool {

    private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

    private String gate;

    /** Called by Quartz with {@code org.quartz.threadPool.gate}. */
    public void setGate(String gate) {
        this.gate = gate;
    }

    static void close(String gate) {
        GATES.put(gate, new CountDownLatch(1));
    }

    static void open(String gate) {
        CountDownLatch latch = GATES.remove(gate);
        if (latch != null) {
            latch.countDown();
        }
    }

    @Override
    public int blockForAvailableThreads() {
        CountDownLatch latch = gate == null ? null : GATES.get(gate);
        if (latch != null) {
            try {
                if (!latch.await(200, TimeUnit.MILLISECONDS)) {
                    return 0; // the scheduler loops (and sees a shutdown) and asks again
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return super.blockForAvailableThreads();
    }
}
