package dev.webhookhub.ops;

import dev.webhookhub.security.AdminToken;
import dev.webhookhub.security.AuthFailures;
import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Management ({@code /observe}) behind credentials and the hub's Jolokia policy: built from the {@code hub.ops.*}
 * settings, installed on the platform-http router at start.
 */
public final class ManagementSecurity {

    private final ManagementAuth auth;
    private final JolokiaGuard jolokia;

    private ManagementSecurity(ManagementAuth auth, JolokiaGuard jolokia) {
        this.auth = auth;
        this.jolokia = jolokia;
    }

    public static ManagementSecurity create(CamelContext context, AdminToken token, AuthFailures failures) {
        PropertiesComponent pc = context.getPropertiesComponent();
        String path = get(pc, "camel.management.path", "/observe");
        // Jolokia's own error details (stack traces, serialized exceptions) are off whatever a request asks for;
        // camel-platform-http-jolokia builds Jolokia's configuration itself, which reads jolokia.* system properties
        System.setProperty("jolokia.allowErrorDetails", "false");
        System.setProperty("jolokia.includeStackTrace", "false");
        System.setProperty("jolokia.serializeException", "false");
        return new ManagementSecurity(
                new ManagementAuth(path, token, get(pc, "hub.ops.user", ""), get(pc, "hub.ops.password", ""),
                        Boolean.parseBoolean(get(pc, "hub.ops.open-probes", "true")), failures),
                new JolokiaGuard((path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/jolokia"));
    }

    /** Call before {@link JsonHttpErrors#install}: credentials are checked before anything else looks at a request. */
    public void install(Router router) {
        auth.install(router);
        jolokia.install(router);
    }

    private static String get(PropertiesComponent pc, String key, String defaultValue) {
        return pc.resolveProperty(key).filter(v -> !v.isBlank()).orElse(defaultValue);
    }
}
