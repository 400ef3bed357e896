package dev.webhookhub.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request whose body has not been (fully) read. What happens to the rest of the body:
 * <ul>
 * <li>HTTP/2: read and dropped. The stream shares its connection with other requests: left unread, its body would
 * hold the connection's flow-control window and stall every other request on it.</li>
 * <li>HTTP/1 with a {@code Content-Length} of at most {@code drainBytes}: read and dropped too, and the connection
 * kept. A client writes its whole body before it reads the answer; closing the connection on unread bytes makes the
 * kernel reset it, and the client then often gets the reset instead of the answer. Closed if the rest has not
 * arrived within {@code drainMillis} (the request read timeout; with none, closed at once as below).</li>
 * <li>HTTP/1 otherwise (a larger or chunked body, or {@link #andClose}): the connection is closed once the answer is
 * written, so the rest is neither read nor buffered.</li>
 * </ul>
 * Dropped bytes are never buffered.
 */
public final class EarlyAnswer {

    private final long drainBytes;
    private final long drainMillis;

    public EarlyAnswer(long drainBytes, long drainMillis) {
        this.drainBytes = drainBytes;
        this.drainMillis = drainMillis;
    }

    public void send(RoutingContext ctx, int status, String json) {
        answer(ctx, status, json, true);
    }

    /** For a client that is too slow with its body: its HTTP/1 connection is closed whatever the size of the rest. */
    public void andClose(RoutingContext ctx, int status, String json) {
        answer(ctx, status, json, false);
    }

    private void answer(RoutingContext ctx, int status, String json, boolean mayDrain) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        HttpServerRequest request = ctx.request();
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        long length = RequestBodyLimits.contentLength(request);
        boolean close = false;
        if (!request.isEnded()) {
            if (!http1) {
                drop(request, end -> { });
            } else if (mayDrain && drainMillis > 0 && length >= 0 && length <= drainBytes) {
                long timer = ctx.vertx().setTimer(drainMillis, id -> {
                    if (!request.isEnded()) {
                        request.connection().close();
                    }
                });
                drop(request, end -> ctx.vertx().cancelTimer(timer));
            } else {
                close = true;
                ctx.response().putHeader("Connection", "close");
            }
        }
        boolean closeAfter = close;
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json)
                .onComplete(done -> {
                    if (closeAfter && !request.isEnded()) {
                        request.connection().close();
                    }
                });
    }

    private static void drop(HttpServerRequest request, Handler<Void> onEnd) {
        request.handler(dropped -> { }).endHandler(onEnd).exceptionHandler(gone -> { });
        request.resume();
    }
}
