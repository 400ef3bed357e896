package dev.webhookhub.store;

import java.time.Instant;

/** A deployable service whose Git repository sends webhooks to the hub. */
public record Service(
        String id,
        String name,
        String gitRepository,
        String gitBranch,
        String buildConfig,
        String status,
        Instant createdAt,
        Instant updatedAt) {
}
