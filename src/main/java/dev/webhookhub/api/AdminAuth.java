package dev.webhookhub.api;

import dev.webhookhub.security.AdminToken;
import dev.webhookhub.security.AuthFailures;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;

/**
 * Requires {@code Authorization: Bearer <admin token>} on admin endpoints. Wrong tokens are counted per client
 * address ({@link AuthFailures}): logged, and answered 429 once a client has failed too often within a minute.
 */
public final class AdminAuth implements Processor {

    private final AdminToken token;
    private final AuthFailures failures;

    public AdminAuth(AdminToken token, AuthFailures failures) {
        this.token = token;
        this.failures = failures;
    }

    /** Whether an Authorization header carries the admin token (for handlers outside Camel routes). */
    public boolean accepts(String authorizationHeader) {
        return authorizationHeader != null && token.accepts(authorizationHeader);
    }

    @Override
    public void process(Exchange exchange) {
        String client = clientAddress(exchange);
        long retryAfter = failures.retryAfterSeconds(client);
        if (retryAfter > 0) {
            throw ApiError.tooManyRequests("too many failed authentications from this client; retry later",
                    retryAfter);
        }
        String header = exchange.getIn().getHeader("Authorization", String.class);
        if (header == null) {
            throw new ApiError(401, "unauthorized", "Authorization: Bearer <admin token> is required");
        }
        if (!token.accepts(header)) {
            failures.failed(client, "the admin API (" + exchange.getIn().getHeader(Exchange.HTTP_METHOD) + " "
                    + exchange.getIn().getHeader(Exchange.HTTP_PATH) + ")");
            throw new ApiError(401, "unauthorized", "the admin token is not valid");
        }
    }

    private static String clientAddress(Exchange exchange) {
        Object remote = exchange.getIn().getHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS);
        if (remote instanceof SocketAddress address) {
            return address.hostAddress() != null ? address.hostAddress() : address.host();
        }
        return remote == null ? "unknown" : remote.toString();
    }
}
