package dev.webhookhub.deploy;

/**
 * Cancels a running build or push from another thread (HUB_DEPLOY_CANCEL_RUNNING): the streamed request registers
 * how to drop its connection; cancelling before that makes the next request end at once.
 */
public final class BuildCancel {

    private volatile Runnable action;
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
        Runnable a = action;
        if (a != null) {
            a.run();
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    void onCancel(Runnable a) {
        action = a;
        if (cancelled) {
            a.run();
        }
    }
}
