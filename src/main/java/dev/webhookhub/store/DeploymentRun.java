package dev.webhookhub.store;

import java.time.Instant;

/** A deployment with everything its flow records: images, each phase's start and end, the error, the claim. */
public record DeploymentRun(
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
        String image,
        String previousImage,
        String error,
        String claimedBy,
        Instant buildStartedAt,
        Instant buildFinishedAt,
        Instant deployStartedAt,
        Instant deployFinishedAt,
        Instant rollbackStartedAt,
        Instant rollbackFinishedAt,
        Instant finishedAt,
        Instant createdAt,
        Instant updatedAt) {

    public static final String PENDING = "pending";
    public static final String BUILDING = "building";
    public static final String DEPLOYING = "deploying";
    public static final String RUNNING = "running";
    public static final String BUILD_FAILED = "build_failed";
    public static final String FAILED = "failed";
    public static final String ROLLED_BACK = "rolled_back";
    public static final String ROLLBACK_FAILED = "rollback_failed";
    public static final String SUPERSEDED = "superseded";

    /** The commit's first 12 characters (or "latest" when there is none yet). */
    public String shortSha() {
        return commitSha == null || commitSha.isBlank() ? "latest"
                : commitSha.substring(0, Math.min(12, commitSha.length()));
    }
}
