package dev.webhookhub.store;

import java.time.Instant;

/** A deployment requested by a push to a service's branch. */
public record Deployment(
        String id,
        String serviceId,
        String deliveryId,
        String provider,
        String status,
        String commitSha,
        String branch,
        String commitMessage,
        String author,
        String repositoryUrl,
        String compareUrl,
        Instant createdAt,
        Instant updatedAt) {
}
