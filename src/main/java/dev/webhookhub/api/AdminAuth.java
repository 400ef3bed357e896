package dev.webhookhub.api;

import dev.webhookhub.security.AdminToken;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Requires {@code Authorization: Bearer <admin token>} on admin endpoints. */
public final class AdminAuth implements Processor {

    private final AdminToken token;

    public AdminAuth(AdminToken token) {
        this.token = token;
    }

    /** Whether an Authorization header carries the admin token (for handlers outside Camel routes). */
    public boolean accepts(String authorizationHeader) {
        return authorizationHeader != null && token.accepts(authorizationHeader);
    }

    @Override
    public void process(Exchange exchange) {
        String header = exchange.getIn().getHeader("Authorization", String.class);
        if (header == null) {
            throw new ApiError(401, "unauthorized", "Authorization: Bearer <admin token> is required");
        }
        if (!token.accepts(header)) {
            throw new ApiError(401, "unauthorized", "the admin token is not valid");
        }
    }
}
