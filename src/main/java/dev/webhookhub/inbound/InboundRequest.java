package dev.webhookhub.inbound;

import dev.webhookhub.security.SignedRequest;
import java.util.function.Function;

/** What a receiver sees of one HTTP delivery: raw body bytes and a case-insensitive header lookup. */
public record InboundRequest(byte[] body, Function<String, String> headerLookup) {

    public String header(String name) {
        return headerLookup.apply(name);
    }

    /** The request as the signature schemes see it. */
    public SignedRequest signed() {
        return new SignedRequest(body, headerLookup);
    }
}
