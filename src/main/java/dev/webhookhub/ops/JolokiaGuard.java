package dev.webhookhub.ops;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The hub's Jolokia policy, checked before Jolokia sees a request (Jolokia's own policy, {@code jolokia-access.xml},
 * says the same and is checked again by Jolokia). Allowed: {@code read}, {@code list}, {@code search},
 * {@code version}, and {@code exec} of the lifecycle and dump operations in {@link #OPERATIONS} on the Camel context
 * and route MBeans, by POST only. Everything else, in particular the context's {@code requestBody}/{@code sendBody}
 * (which send to any endpoint URI), {@code createEndpoint}, route templates, and every JVM operation, is answered
 * 403. Bulk requests (JSON arrays) are refused as a whole when one of them is.
 */
public final class JolokiaGuard {

    /** After {@link ManagementAuth} and JsonHttpErrors' Jolokia guard. */
    static final int ORDER = Integer.MIN_VALUE + 2;
    /** A Jolokia request is a few hundred bytes; Hawtio's bulk reads a few KB. */
    static final long MAX_BODY_BYTES = 256 * 1024;

    /** Request types operators may send. Not write, not notification (listeners), not config. */
    static final Set<String> TYPES = Set.of("read", "list", "search", "version", "exec");
    /** Every type Jolokia knows; others are answered 400 (not a Jolokia request), the known ones not allowed 403. */
    static final Set<String> KNOWN_TYPES = Set.of("read", "list", "search", "version", "exec", "write", "config",
            "notification");
    private static final Set<String> LIFECYCLE = Set.of("start", "start()", "stop", "stop()", "suspend",
            "suspend()", "resume", "resume()");
    /**
     * Operations per Camel MBean type ({@code org.apache.camel:type=...}), exactly as a request names them (with or
     * without the signature); the same lists as {@code jolokia-access.xml}.
     */
    public static final Map<String, Set<String>> OPERATIONS = Map.of(
            "context", union(LIFECYCLE, "dumpRoutesAsXml()", "dumpRoutesAsYaml()",
                    "dumpRoutesStatsAsXml(boolean,boolean)", "dumpStepStatsAsXml(boolean)"),
            "routes", union(LIFECYCLE, "dumpRouteAsXml()", "dumpRouteAsYaml()",
                    "dumpRouteStatsAsXml(boolean,boolean)", "dumpStepStatsAsXml(boolean)"));

    private static Set<String> union(Set<String> base, String... more) {
        Set<String> all = new HashSet<>(base);
        all.addAll(Arrays.asList(more));
        return Set.copyOf(all);
    }

    /** Whether the policy lets operators execute {@code operation} (as the request names it) on {@code name}. */
    public static boolean allows(ObjectName name, String operation) {
        return !name.isPattern() && "org.apache.camel".equals(name.getDomain())
                && OPERATIONS.getOrDefault(name.getKeyProperty("type"), Set.of()).contains(operation);
    }

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final String jolokiaPath;

    public JolokiaGuard(String jolokiaPath) {
        this.jolokiaPath = jolokiaPath;
    }

    public void install(Router router) {
        router.route(jolokiaPath + "*").order(ORDER)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.route(jolokiaPath + "*").order(ORDER + 1).handler(this::check);
    }

    /** Why a request is refused: 400 when it is not a Jolokia request, 403 when the policy does not allow it. */
    record Refusal(int status, String code, String message) {

        static Refusal forbidden(String message) {
            return new Refusal(403, "forbidden", message);
        }

        static Refusal bad(String message) {
            return new Refusal(400, "bad_request", message);
        }
    }

    private void check(RoutingContext ctx) {
        Refusal refusal;
        if (ctx.request().method() == HttpMethod.POST) {
            if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
                ManagementAuth.write(ctx, 400, "missing_body", "POST to Jolokia needs a JSON request body");
                return;
            }
            JsonNode requests;
            try {
                requests = STRICT.readTree(ctx.body().buffer().getBytes());
            } catch (IOException e) {
                ManagementAuth.write(ctx, 400, "bad_request", "the Jolokia request is not valid JSON");
                return;
            }
            refusal = refusalOfBody(requests);
        } else if (ctx.request().method() == HttpMethod.GET) {
            refusal = refusalOfGet(ctx);
        } else {
            refusal = null; // Jolokia's route takes GET and POST only; anything else ends as 404/405
        }
        if (refusal != null) {
            ManagementAuth.write(ctx, refusal.status(), refusal.code(), refusal.message());
            return;
        }
        ctx.next();
    }

    /** GET serves only read-only types; operations are executed by POST (as Hawtio does). */
    private Refusal refusalOfGet(RoutingContext ctx) {
        String path = ctx.request().getParam("p");
        if (path == null) {
            String full = ctx.normalizedPath();
            path = full.length() > jolokiaPath.length() ? full.substring(jolokiaPath.length()) : "";
        }
        String type = firstSegment(path).toLowerCase(Locale.ROOT);
        if (type.isEmpty() || type.equals("version") || type.equals("read") || type.equals("list")
                || type.equals("search")) {
            return null;
        }
        if (!KNOWN_TYPES.contains(type)) {
            return Refusal.bad("unknown Jolokia request type '" + type + "'");
        }
        return Refusal.forbidden("Jolokia " + type + " requests are not allowed by GET; only read, list, search and "
                + "version are (operations are executed by POST)");
    }

    private static String firstSegment(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        int slash = p.indexOf('/');
        return slash < 0 ? p : p.substring(0, slash);
    }

    static Refusal refusalOfBody(JsonNode requests) {
        if (requests.isArray()) {
            if (requests.isEmpty()) {
                return Refusal.bad("an empty bulk request");
            }
            for (JsonNode r : requests) {
                Refusal refusal = refusalOf(r);
                if (refusal != null) {
                    return refusal;
                }
            }
            return null;
        }
        return refusalOf(requests);
    }

    /** Why one request is refused, or null when it is allowed. */
    static Refusal refusalOf(JsonNode request) {
        if (!request.isObject()) {
            return Refusal.bad("a Jolokia request must be a JSON object");
        }
        if (request.has("target")) {
            return Refusal.forbidden("proxy requests (target) are not allowed");
        }
        JsonNode typeNode = request.get("type");
        String type = typeNode != null && typeNode.isTextual() ? typeNode.asText().toLowerCase(Locale.ROOT) : "";
        if (!KNOWN_TYPES.contains(type)) {
            return Refusal.bad("unknown Jolokia request type " + typeNode);
        }
        if (!TYPES.contains(type)) {
            return Refusal.forbidden("Jolokia " + type + " requests are not allowed; allowed: read, list, search, "
                    + "version and exec of route and context lifecycle operations");
        }
        if (!type.equals("exec")) {
            return null;
        }
        JsonNode mbeanNode = request.get("mbean");
        JsonNode operationNode = request.get("operation");
        if (mbeanNode == null || !mbeanNode.isTextual() || operationNode == null || !operationNode.isTextual()) {
            return Refusal.bad("exec needs an mbean and an operation");
        }
        String operation = operationNode.asText();
        ObjectName name;
        try {
            name = new ObjectName(mbeanNode.asText());
        } catch (MalformedObjectNameException e) {
            return Refusal.bad("the mbean name is not valid");
        }
        if (!allows(name, operation)) {
            return Refusal.forbidden("operation " + operation + " on " + mbeanNode.asText() + " is not allowed by "
                    + "the hub's management policy (allowed: route and context start, stop, suspend, resume and "
                    + "dumps)");
        }
        return null;
    }
}
