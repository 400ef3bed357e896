package dev.webhookhub.inbound;

import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Raw bytes of form-encoded webhook bodies. platform-http decodes form bodies into fields and drops the raw bytes,
 * but GitHub signs the raw form body, so {@link WebhookHttpGuard} keeps them here for the verifier.
 */
public final class RawFormBodies {

    private final Map<HttpServerRequest, byte[]> bodies = new ConcurrentHashMap<>();

    void put(HttpServerRequest request, byte[] body) {
        bodies.put(request, body);
    }

    byte[] take(HttpServerRequest request) {
        return bodies.remove(request);
    }

    void discard(HttpServerRequest request) {
        bodies.remove(request);
    }

    int size() {
        return bodies.size();
    }
}
