package dev.webhookhub.ops;

import dev.webhookhub.api.ApiError;
import dev.webhookhub.security.AdminToken;
import dev.webhookhub.security.AuthFailures;
import dev.webhookhub.security.Hmac;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Credentials for the management endpoints ({@code camel.management.path}, {@code /observe}): Jolokia, info and the
 * full health listing need {@code Authorization: Bearer <admin token>}, or HTTP basic with the operator's user and
 * password (for Hawtio; off while the password is empty). Liveness, readiness and metrics stay open unless
 * {@code openProbes} is false. Runs on the platform-http router before any management handler: Camel serves
 * management on the business port and router.
 */
public final class ManagementAuth {

    /** Just after {@link JsonHttpErrors}' URL check; installed before it, so it also runs before its Jolokia guard. */
    static final int ORDER = Integer.MIN_VALUE + 1;
    private static final String REALM = "Basic realm=\"webhook-hub\"";

    private final String managementPath;
    private final Set<String> probes;
    private final AdminToken token;
    private final String opsUser;
    private final String opsPassword;
    private final boolean openProbes;
    private final AuthFailures failures;

    public ManagementAuth(String managementPath, AdminToken token, String opsUser, String opsPassword,
            boolean openProbes, AuthFailures failures) {
        this.managementPath = stripSlash(managementPath);
        this.probes = Set.of(this.managementPath + "/health/live", this.managementPath + "/health/ready",
                this.managementPath + "/metrics");
        this.token = token;
        this.opsUser = opsUser == null ? "" : opsUser;
        this.opsPassword = opsPassword == null ? "" : opsPassword;
        this.openProbes = openProbes;
        this.failures = failures;
    }

    public void install(Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    boolean basicEnabled() {
        return !opsPassword.isEmpty();
    }

    private void check(RoutingContext ctx) {
        String path = canonical(ctx.normalizedPath());
        if (!isManagement(path)) {
            ctx.next();
            return;
        }
        // Camel's health answers include the stack traces of failed checks when asked (?stackTrace=true): never
        dropParameter(ctx, "stackTrace");
        if (openProbes && probes.contains(path)) {
            ctx.next();
            return;
        }
        if (crossOrigin(ctx)) {
            // a page of another site must not drive a browser that holds the operator's basic credentials
            write(ctx, 403, "forbidden", "cross-origin requests to management are refused");
            return;
        }
        String client = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        long retryAfter = failures.retryAfterSeconds(client);
        if (retryAfter > 0) {
            ctx.response().putHeader("Retry-After", String.valueOf(retryAfter));
            write(ctx, 429, "too_many_requests", "too many failed authentications from this client; retry later");
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        if (header == null || header.isBlank()) {
            refuse(ctx, "management needs credentials: Authorization: Bearer <admin token>"
                    + (basicEnabled() ? " or HTTP basic with the operator user (HUB_OPS_USER/HUB_OPS_PASSWORD)" : ""));
            return;
        }
        if (token.accepts(header) || acceptsBasic(header)) {
            ctx.next();
            return;
        }
        failures.failed(client, "management (" + ctx.request().method() + " " + path + ")");
        refuse(ctx, "the credentials are not valid");
    }

    private static void dropParameter(RoutingContext ctx, String name) {
        try {
            for (String n : java.util.List.copyOf(ctx.request().params().names())) {
                if (n.equalsIgnoreCase(name)) {
                    ctx.request().params().remove(n);
                }
            }
        } catch (IllegalArgumentException undecodable) {
            // refused with 400 by JsonHttpErrors before any handler reads the parameters
        }
    }

    /**
     * An {@code Origin} header that names another host than the one the request was sent to. Ports are not compared:
     * behind a TLS-terminating proxy the browser's origin says 443 while the hub sees its own port.
     */
    static boolean crossOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        if (origin == null || origin.isBlank()) {
            return false;
        }
        HostAndPort target = ctx.request().authority();
        try {
            String host = new URI(origin.trim()).getHost();
            return target == null || host == null || !host.equalsIgnoreCase(target.host());
        } catch (URISyntaxException e) {
            return true;
        }
    }

    private boolean acceptsBasic(String header) {
        if (!basicEnabled() || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        // both compared, always, so the time taken does not tell which one was wrong
        boolean user = Hmac.equalsConstantTime(decoded.substring(0, colon), opsUser);
        boolean password = Hmac.equalsConstantTime(decoded.substring(colon + 1), opsPassword);
        return user & password;
    }

    private void refuse(RoutingContext ctx, String message) {
        if (basicEnabled()) {
            ctx.response().putHeader("WWW-Authenticate", REALM);
        }
        write(ctx, 401, "unauthorized", message);
    }

    /** Under the management path, compared without case and with repeated slashes folded (Vert.x routes are exact). */
    private boolean isManagement(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        String m = managementPath.toLowerCase(Locale.ROOT);
        return p.equals(m) || p.startsWith(m + "/") || p.startsWith(m + ";");
    }

    private static final java.util.regex.Pattern MULTIPLE_SLASHES = java.util.regex.Pattern.compile("/{2,}");

    private static String canonical(String normalizedPath) {
        // every request passes here on the event loop: no regular expression unless there is something to fold
        String p = normalizedPath == null ? "/" : normalizedPath.contains("//")
                ? MULTIPLE_SLASHES.matcher(normalizedPath).replaceAll("/") : normalizedPath;
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static String stripSlash(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    static void write(RoutingContext ctx, int status, String code, String message) {
        ApiError.end(ctx.response(), status, code, message);
    }
}
