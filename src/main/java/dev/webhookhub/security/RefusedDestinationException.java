package dev.webhookhub.security;

import java.net.UnknownHostException;

/**
 * A destination host whose every address is refused by the {@link DestinationPolicy}. An
 * {@link UnknownHostException} because that is what a resolver may throw; the HTTP client passes it up unchanged.
 */
public final class RefusedDestinationException extends UnknownHostException {

    private static final long serialVersionUID = 1L;

    public RefusedDestinationException(String message) {
        super(message);
    }
}
