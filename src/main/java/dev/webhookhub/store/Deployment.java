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

    /** Fits what the push said into the deployments columns (V1__foundation.sql). */
    public Deployment {
        commitSha = StoredText.fit(commitSha, 64);
        branch = StoredText.fit(branch, 255);
        commitMessage = StoredText.fit(commitMessage, Integer.MAX_VALUE);
        author = StoredText.fit(author, 255);
        repositoryUrl = StoredText.fit(repositoryUrl, 1000);
        compareUrl = StoredText.fit(compareUrl, 1000);
    }
}
