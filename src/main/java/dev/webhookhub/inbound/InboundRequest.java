package dev.webhookhub.inbound;

import java.util.function.Function;

/** What a receiver sees of one HTTP delivery: raw body bytes and a case-insensitive header lookup. */
public record InboundRequest(byte[] body, Function<String, String> headerLookup) {

    public String header(String name) {
        return headerLookup.apply(name);
    }
}
