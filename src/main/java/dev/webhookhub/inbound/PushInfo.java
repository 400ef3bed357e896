package dev.webhookhub.inbound;

/** What the hub keeps of a push, whichever provider sent it. */
public record PushInfo(
        Kind kind,
        String refName,
        String commitSha,
        String commitMessage,
        String author,
        String repositoryUrl,
        String compareUrl) {

    public enum Kind { BRANCH, TAG, BRANCH_DELETED }
}
