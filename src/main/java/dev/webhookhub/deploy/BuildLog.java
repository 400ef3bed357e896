package dev.webhookhub.deploy;

import dev.webhookhub.store.DeploymentRuns;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deployment's log while it is worked: lines are appended as they come and saved to the store at most every
 * {@code saveEveryMillis} (and when closed), so the API can show a build while it runs. Capped at {@code capChars}:
 * the oldest lines are dropped, the tail kept.
 */
public final class BuildLog implements Consumer<String>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BuildLog.class);
    /** Saves lines that came in between two saves, so a quiet build still shows its latest lines. */
    private static final ScheduledExecutorService SAVER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "build-log-saver");
        t.setDaemon(true);
        return t;
    });

    private final DeploymentRuns runs;
    private final String deploymentId;
    private final int capChars;
    private final long saveEveryMillis;
    private final StringBuilder text;
    private long savedAt;
    private boolean dirty;
    private boolean saveScheduled;

    public BuildLog(DeploymentRuns runs, String deploymentId, int capChars, long saveEveryMillis) {
        this.runs = runs;
        this.deploymentId = deploymentId;
        this.capChars = capChars;
        this.saveEveryMillis = saveEveryMillis;
        this.text = new StringBuilder(runs.log(deploymentId));
    }

    @Override
    public synchronized void accept(String line) {
        text.append(line).append('\n');
        if (text.length() > capChars) {
            int cut = text.length() - capChars;
            int nl = text.indexOf("\n", cut);
            text.delete(0, nl < 0 ? cut : nl + 1);
        }
        dirty = true;
        long now = System.currentTimeMillis();
        if (now - savedAt >= saveEveryMillis) {
            save(now);
        } else if (!saveScheduled) {
            saveScheduled = true;
            SAVER.schedule(this::saveIfDirty, saveEveryMillis - (now - savedAt), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void saveIfDirty() {
        saveScheduled = false;
        if (dirty) {
            save(System.currentTimeMillis());
        }
    }

    /** A line stamped with the time, for the hub's own steps. */
    public void step(String message) {
        accept("[" + Instant.now() + "] " + message);
    }

    private void save(long now) {
        try {
            runs.saveLog(deploymentId, text.toString());
            dirty = false;
            savedAt = now;
        } catch (RuntimeException e) {
            LOG.warn("cannot save the log of deployment {}: {}", deploymentId, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (dirty) {
            save(System.currentTimeMillis());
        }
    }
}
