package dev.webhookhub.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request whose body has not been (fully) read, and closes its HTTP/1 connection once the answer is
 * written, so the rest of the body is neither read nor buffered. An HTTP/2 stream shares its connection with other
 * requests, so its body is read and dropped instead: left unread, it would hold the connection's flow-control window
 * and stall every other request on it.
 */
public final class EarlyAnswer {

    private EarlyAnswer() {
    }

    public static void andClose(RoutingContext ctx, int status, String json) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        HttpServerRequest request = ctx.request();
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        if (http1) {
            ctx.response().putHeader("Connection", "close");
        } else if (!request.isEnded()) {
            request.handler(dropped -> { }).endHandler(end -> { }).exceptionHandler(gone -> { });
            request.resume();
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json)
                .onComplete(done -> {
                    if (http1 && !request.isEnded()) {
                        request.connection().close();
                    }
                });
    }
}
