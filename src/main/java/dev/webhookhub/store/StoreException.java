package dev.webhookhub.store;

/** A database failure, reported to HTTP callers as 503 (the request may be retried). */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
