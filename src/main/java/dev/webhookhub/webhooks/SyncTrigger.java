package dev.webhookhub.webhooks;

import java.util.List;

/** The sync side of a registered webhook: whether its config exists, and queueing a job for it. */
public interface SyncTrigger {

    /** Queues a sync job for the config; answers the job's id. An empty {@code workItemIds} syncs every item. */
    String queue(String syncConfigId, String trigger, List<String> workItemIds);

    boolean exists(String syncConfigId);
}
