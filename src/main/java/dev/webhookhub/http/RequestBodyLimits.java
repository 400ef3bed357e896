package dev.webhookhub.http;

import dev.webhookhub.api.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every request that has a body, on every path (receivers, admin API, management):
 * <ul>
 * <li>reserves the body's bytes from the global {@link BodyBudget} before the body is read: from Content-Length at
 * once, or chunk by chunk for a body without one (which is then read here, counted, and handed to the later
 * handlers as if Vert.x's body handler had read it). Past the budget the request is answered 503 with
 * {@code Retry-After} without keeping the body (see {@link EarlyAnswer} for what happens to its rest);</li>
 * <li>gives the bytes back when the exchange ends: answered, closed or reset;</li>
 * <li>answers 408 and closes the connection when the body has not arrived within the read timeout.</li>
 * </ul>
 * Bodies over {@code camel.server.max-body-size} are left to the handlers that refuse them with 413 unread. HTTP/2
 * (h2c) bodies sent without Content-Length are not counted (see {@link #handle}); each is still capped by
 * {@code camel.server.max-body-size}.
 */
public final class RequestBodyLimits {

    private static final Logger LOG = LoggerFactory.getLogger(RequestBodyLimits.class);

    private final BodyBudget budget;
    private final long maxBodyBytes;
    private final long readTimeoutMillis;
    private final int retryAfterSeconds;
    private final EarlyAnswer earlyAnswer;

    public RequestBodyLimits(BodyBudget budget, long maxBodyBytes, long readTimeoutMillis, int retryAfterSeconds,
            EarlyAnswer earlyAnswer) {
        this.budget = budget;
        this.earlyAnswer = earlyAnswer;
        this.maxBodyBytes = maxBodyBytes;
        this.readTimeoutMillis = readTimeoutMillis;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Runs after the URL checks of {@code JsonHttpErrors} and before anything reads a body. */
    public void install(Router router) {
        router.route().order(Integer.MIN_VALUE + 3).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            ctx.next();
            return;
        }
        long length = contentLength(request);
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        // HTTP/2 bodies without Content-Length are not counted: platform-http's body handler resumes the request
        // unconditionally, which fails on an HTTP/2 request already read to its end here
        boolean streamed = length < 0 && !http2 && request.headers().contains("Transfer-Encoding");
        if (length <= 0 && !streamed) {
            if (http2 && length < 0) {
                watchReadTimeout(ctx);
            }
            ctx.next();
            return;
        }
        watchReadTimeout(ctx);
        if (length > maxBodyBytes) {
            ctx.next();
            return;
        }
        Reservation reservation = new Reservation();
        ctx.addEndHandler(v -> reservation.releaseAll());
        if (length > 0) {
            if (!reservation.add(length)) {
                refuseOverBudget(ctx);
                return;
            }
            ctx.next();
        } else {
            readCounted(ctx, reservation);
        }
    }

    /** A body without Content-Length: read here, each chunk reserved as it arrives. */
    private void readCounted(RoutingContext ctx, Reservation reservation) {
        HttpServerRequest request = ctx.request();
        Buffer body = Buffer.buffer();
        AtomicBoolean refused = new AtomicBoolean();
        request.handler(chunk -> {
            if (refused.get()) {
                return;
            }
            if (body.length() + (long) chunk.length() > maxBodyBytes) {
                refused.set(true);
                reservation.releaseAll();
                earlyAnswer.andClose(ctx, 413, ApiError.json("payload_too_large",
                        "body is larger than " + maxBodyBytes + " bytes"));
                return;
            }
            if (!reservation.add(chunk.length())) {
                refused.set(true);
                reservation.releaseAll();
                refuseOverBudget(ctx);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (!refused.get()) {
                ctx.setBody(body);
                ((RoutingContextInternal) ctx).visitHandler(RoutingContextInternal.BODY_HANDLER);
                ctx.next();
            }
        });
        request.resume();
    }

    private void refuseOverBudget(RoutingContext ctx) {
        LOG.debug("request body refused: {} bytes of bodies in flight (limit {})", budget.inFlight(),
                budget.limit());
        ctx.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds));
        earlyAnswer.send(ctx, 503, ApiError.json("server_busy",
                "the hub is receiving too many request bodies at once; retry later"));
    }

    private void watchReadTimeout(RoutingContext ctx) {
        if (readTimeoutMillis <= 0) {
            return;
        }
        HttpServerRequest request = ctx.request();
        long timer = ctx.vertx().setTimer(readTimeoutMillis, id -> {
            if (!request.isEnded() && !ctx.response().ended()) {
                LOG.debug("request body not received within {} ms: {} {}", readTimeoutMillis, request.method(),
                        request.path());
                earlyAnswer.andClose(ctx, 408, ApiError.json("request_timeout",
                        "the request body was not received within " + readTimeoutMillis / 1000 + " s"));
            }
        });
        ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
    }

    /** The Content-Length header as a number; -1 when there is none or it is not a number. */
    static long contentLength(HttpServerRequest request) {
        String value = request.getHeader("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The bytes one request holds; given back once. */
    private final class Reservation {
        private final AtomicLong held = new AtomicLong();

        boolean add(long bytes) {
            if (!budget.tryReserve(bytes)) {
                return false;
            }
            held.addAndGet(bytes);
            return true;
        }

        void releaseAll() {
            long bytes = held.getAndSet(0);
            if (bytes > 0) {
                budget.release(bytes);
            }
        }
    }
}
