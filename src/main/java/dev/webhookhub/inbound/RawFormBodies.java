package dev.webhookhub.inbound;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Form-encoded webhook requests in flight. GitHub signs the raw form body, which platform-http does not put on the
 * message; {@link WebhookHttpGuard} remembers the routing context (where Vert.x keeps the raw body) and the
 * Content-Type the sender used, for the duration of the request.
 */
public final class RawFormBodies {

    private record Form(RoutingContext ctx, String contentType) {
    }

    private final Map<HttpServerRequest, Form> forms = new ConcurrentHashMap<>();

    void remember(HttpServerRequest request, RoutingContext ctx, String contentType) {
        forms.put(request, new Form(ctx, contentType));
    }

    void forget(HttpServerRequest request) {
        forms.remove(request);
    }

    /** The Content-Type the sender used when the request is a form, else null. */
    String formContentType(HttpServerRequest request) {
        Form f = forms.get(request);
        return f == null ? null : f.contentType();
    }

    /** The raw body of a form request, or null when none was kept. */
    byte[] rawBody(HttpServerRequest request) {
        Form f = forms.get(request);
        if (f == null || f.ctx().body() == null) {
            return null;
        }
        Buffer buffer = f.ctx().body().buffer();
        return buffer == null ? null : buffer.getBytes();
    }
}
