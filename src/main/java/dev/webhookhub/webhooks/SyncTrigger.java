package dev.webhookhub.webhooks;

import java.util.List;

/** Queues a sync job for a config when a registered webhook fires; answers the job's id. */
@FunctionalInterface
public interface SyncTrigger {

    String queue(String syncConfigId, String trigger, List<String> workItemIds);
}
