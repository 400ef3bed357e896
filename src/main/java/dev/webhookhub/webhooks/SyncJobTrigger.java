package dev.webhookhub.webhooks;

import dev.webhookhub.sync.SyncConfigStore;
import dev.webhookhub.sync.SyncJobQueue;
import java.util.List;

/** Registered webhooks trigger their sync config through the durable job queue. */
public final class SyncJobTrigger implements SyncTrigger {

    private final SyncJobQueue queue;
    private final SyncConfigStore configs;

    public SyncJobTrigger(SyncJobQueue queue, SyncConfigStore configs) {
        this.queue = queue;
        this.configs = configs;
    }

    @Override
    public String queue(String syncConfigId, String trigger, List<String> workItemIds) {
        return queue.enqueue(syncConfigId, trigger, workItemIds.isEmpty() ? null : workItemIds, false);
    }

    @Override
    public boolean exists(String syncConfigId) {
        return configs.get(syncConfigId).isPresent();
    }
}
