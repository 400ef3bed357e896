package dev.webhookhub.ops;

import dev.webhookhub.api.ApiError;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the HTTP server answer the errors it raises itself in JSON: unknown paths, query strings that are not valid
 * percent-encoding or hold a NUL, bodies Vert.x cannot decode, Jolokia requests it cannot parse, and any failure a
 * handler reports.
 *
 * <p>Camel mounts its routes on a sub-router; Vert.x looks up {@code Router.errorHandler}s on the main router, which
 * Camel keeps to itself, so failures are answered by a failure handler on the sub-router instead.
 */
public final class JsonHttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(JsonHttpErrors.class);
    /** Set on answers written here, so the Jolokia guard never relabels the hub's own 500. */
    private static final String OWN_ANSWER = "hub.json-http-error";

    private JsonHttpErrors() {
    }

    /** {@code jolokiaPath}: where Camel serves Jolokia ({@code camel.management.path} + "/jolokia"). */
    public static void install(Router router, String jolokiaPath) {
        router.route().order(Integer.MIN_VALUE).handler(JsonHttpErrors::refuseUnusableTarget)
                .failureHandler(JsonHttpErrors::answerFailure);
        router.route(jolokiaPath + "*").order(Integer.MIN_VALUE + 1).handler(JsonHttpErrors::guardJolokia);
        router.route().order(Integer.MAX_VALUE).handler(ctx -> write(ctx, 404, "not_found",
                "no endpoint " + ctx.request().method() + " " + ctx.request().path()));
    }

    /** Query strings that do not decode, and NUL characters (which PostgreSQL cannot store or compare) in the URL. */
    private static void refuseUnusableTarget(RoutingContext ctx) {
        MultiMap params;
        try {
            params = ctx.request().params();
        } catch (IllegalArgumentException e) {
            write(ctx, 400, "bad_request", "the query string is not valid percent-encoding");
            return;
        }
        if (ctx.request().path().contains("%00") || anyNul(params)) {
            write(ctx, 400, "bad_request", "the URL contains a NUL character (%00)");
            return;
        }
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType != null) {
            String unusable = unusableCharset(contentType);
            if (unusable != null) {
                write(ctx, 415, "unsupported_media_type", "unsupported charset " + unusable + " in Content-Type;"
                        + " send UTF-8");
                return;
            }
            if (isForm(contentType) && !BODY_METHODS.contains(ctx.request().method())) {
                // Vert.x's body handler fails (500) decoding a form body of a GET; such a request has no body to use
                ctx.request().headers().remove("Content-Type");
            }
        }
        ctx.next();
    }

    private static final java.util.Set<HttpMethod> BODY_METHODS = java.util.Set.of(HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE);

    private static boolean isForm(String contentType) {
        String ct = contentType.trim().toLowerCase(Locale.ROOT);
        return ct.startsWith("multipart/") || ct.startsWith("application/x-www-form-urlencoded");
    }

    /**
     * The charset parameter of a Content-Type when this JVM cannot decode it (Camel's body conversion then fails
     * with a 500), else null.
     */
    static String unusableCharset(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String name = p.substring(8).trim();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                try {
                    if (!java.nio.charset.Charset.isSupported(name)) {
                        return printable(name);
                    }
                } catch (java.nio.charset.IllegalCharsetNameException e) {
                    return printable(name);
                }
            }
        }
        return null;
    }

    private static String printable(String name) {
        String cut = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        return "'" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }

    private static boolean anyNul(MultiMap params) {
        for (Map.Entry<String, String> e : params) {
            if (e.getKey().indexOf('\0') >= 0 || e.getValue().indexOf('\0') >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Jolokia's POST handler reads the body without checking it is there (a NullPointerException and a 500). And
     * Jolokia answers a request it cannot parse (unknown type, malformed MBean name, unknown path) with HTTP 500 and
     * its own JSON error; errors about MBeans themselves come with HTTP 200 and the status in the JSON. So an HTTP
     * 500 from Jolokia is the request's fault, and is sent as 400 (the JSON body is Jolokia's).
     */
    private static void guardJolokia(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.POST && !hasBody(ctx)) {
            write(ctx, 400, "missing_body", "POST to Jolokia needs a JSON request body");
            return;
        }
        ctx.addHeadersEndHandler(v -> {
            if (ctx.response().getStatusCode() == 500 && ctx.get(OWN_ANSWER) == null) {
                LOG.debug("Jolokia could not handle {} {}; answered 400", ctx.request().method(), ctx.request().uri());
                ctx.response().setStatusCode(400);
            }
        });
        ctx.next();
    }

    private static boolean hasBody(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null) {
            return !length.trim().equals("0");
        }
        return ctx.request().getHeader("Transfer-Encoding") != null;
    }

    private static void answerFailure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status = ctx.statusCode();
        if (status == -1) {
            status = failure instanceof HttpException e ? e.getStatusCode() : 500;
        }
        if (status >= 500) {
            if (!answered(ctx)) {
                LOG.error("HTTP request failed: {} {}", ctx.request().method(), ctx.request().path(), failure);
            }
            write(ctx, 500, "internal_error", "the hub failed to process the request");
            return;
        }
        LOG.debug("HTTP request refused with {}: {} {}", status, ctx.request().method(), ctx.request().path(),
                failure);
        switch (status) {
            case 404 -> write(ctx, 404, "not_found", "no endpoint " + ctx.request().method() + " "
                    + ctx.request().path());
            case 405 -> write(ctx, 405, "method_not_allowed", "method not allowed");
            case 413 -> write(ctx, 413, "payload_too_large", "the request body is too large");
            case 415 -> write(ctx, 415, "unsupported_media_type", "unsupported Content-Type");
            default -> write(ctx, status, "bad_request", "the request could not be read" + detail(ctx));
        }
    }

    /** Vert.x decodes form and multipart bodies itself, and fails the request when a field is over its limit. */
    private static String detail(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (ct.startsWith("application/x-www-form-urlencoded") || ct.startsWith("multipart/")) {
            return ": the form body could not be decoded (its fields are limited to 8 KB); send application/json";
        }
        return "";
    }

    private static boolean answered(RoutingContext ctx) {
        return ctx.response().ended() || ctx.response().headWritten() || ctx.response().closed();
    }

    private static void write(RoutingContext ctx, int status, String code, String message) {
        if (answered(ctx)) {
            return;
        }
        ctx.put(OWN_ANSWER, Boolean.TRUE);
        ApiError.end(ctx.response(), status, code, message);
    }
}
