package dev.webhookhub.security;

import java.util.function.Function;

/** What a signature scheme sees of a request: the raw body, a case-insensitive header lookup, a query lookup. */
public record SignedRequest(byte[] body, Function<String, String> headers, Function<String, String> query) {

    public SignedRequest(byte[] body, Function<String, String> headers) {
        this(body, headers, name -> null);
    }

    public String header(String name) {
        return headers.apply(name);
    }

    public String queryParam(String name) {
        return query.apply(name);
    }
}
