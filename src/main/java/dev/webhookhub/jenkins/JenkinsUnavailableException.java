package dev.webhookhub.jenkins;

/** Jenkins could not be read: down, too slow, refusing the credentials, or answering something that is not JSON. */
public final class JenkinsUnavailableException extends RuntimeException {

    public JenkinsUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
