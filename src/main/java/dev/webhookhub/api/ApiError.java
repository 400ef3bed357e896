package dev.webhookhub.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The hub's error answer: {@code {"success": false, "error": "...", "code": "..."}} with an HTTP status. */
public class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    public ApiError(int status, String code, String message) {
        this(status, code, message, 0);
    }

    public ApiError(int status, String code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429: the client must wait {@code retryAfterSeconds} (sent as {@code Retry-After}). */
    public static ApiError tooManyRequests(String message, long retryAfterSeconds) {
        return new ApiError(429, "too_many_requests", message, retryAfterSeconds);
    }

    /** Seconds for a {@code Retry-After} header; 0: none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message);
    }

    public static ApiError notFound(String what) {
        return new ApiError(404, "not_found", what + " not found");
    }

    public static String json(String code, String message) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("success", false);
        node.put("error", message);
        node.put("code", code);
        return node.toString();
    }

    /**
     * The answer to a failure: an ApiError (a receiver's rejection included) as it is; a failure of the store 503
     * {@code store_unavailable} with {@code storeMessage}; anything else 500 {@code internal_error} with
     * {@code internalMessage} (the caller logs those two).
     */
    public static ApiError of(Throwable cause, String storeMessage, String internalMessage) {
        if (cause instanceof ApiError e) {
            return e;
        }
        if (cause instanceof dev.webhookhub.store.StoreException) {
            return new ApiError(503, "store_unavailable", storeMessage);
        }
        return new ApiError(500, "internal_error", internalMessage);
    }

    /** Puts this error's answer (and its {@code Retry-After}) on the exchange's message. */
    public void write(Exchange exchange) {
        write(exchange, status, code, getMessage());
        if (retryAfterSeconds > 0) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
        }
    }

    /** Ends a Vert.x response with an error answer (for handlers in front of the routes), unless already ended. */
    public static void end(io.vertx.core.http.HttpServerResponse response, int status, String code, String message) {
        if (response.ended()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(json(code, message));
    }

    /** Puts an error answer on the exchange's message. */
    public static void write(Exchange exchange, int status, String code, String message) {
        Message m = exchange.getMessage();
        // request headers (and decoded form fields) must not be echoed back as response headers
        m.removeHeaders("*");
        m.setBody(json(code, message));
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
