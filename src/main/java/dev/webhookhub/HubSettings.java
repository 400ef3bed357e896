package dev.webhookhub;

import dev.webhookhub.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/** Typed view of the {@code hub.*} settings in config/application.properties (each overridable by environment). */
public record HubSettings(
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        String adminToken,
        String secretKey,
        String publicUrl,
        long maxBodyBytes,
        int rejectedPayloadCap,
        Duration secretRotationGrace,
        Duration standardWebhooksTolerance,
        Duration serviceCacheTtl,
        int inboxBatchSize,
        boolean journalFsync,
        long journalCheckpointMillis,
        boolean compressPayloads,
        boolean bodyFiles) {


    /** {@code hub.db.h2-settings} as URL settings ({@code ;NAME=value...}), empty when none are set. */
    static String h2Settings(String settings) {
        String s = settings.strip();
        while (s.startsWith(";")) {
            s = s.substring(1);
        }
        return s.isEmpty() ? "" : ";" + s;
    }

    public static HubSettings from(CamelContext context) {
        PropertiesComponent pc = context.getPropertiesComponent();
        Path dataDir = Path.of(get(pc, "hub.data-dir", "data"));
        int port = Integer.parseInt(get(pc, "camel.server.port", "8080"));
        String dbUrl = get(pc, "hub.db.url", "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("hub")
                + h2Settings(get(pc, "hub.db.h2-settings", "")));
        return new HubSettings(
                dataDir,
                dbUrl,
                get(pc, "hub.db.user", "sa"),
                get(pc, "hub.db.password", ""),
                Integer.parseInt(get(pc, "hub.db.pool-size", "16")),
                get(pc, "hub.admin-token", ""),
                get(pc, "hub.secret-key", ""),
                stripSlash(get(pc, "hub.public-url", Optional.ofNullable(System.getenv("CLIENT_URL"))
                        .filter(v -> !v.isBlank()).orElse("http://localhost:" + port))),
                Long.parseLong(get(pc, "camel.server.max-body-size", String.valueOf(25L * 1024 * 1024))),
                Integer.parseInt(get(pc, "hub.rejected-payload-cap-bytes", "65536")),
                Duration.ofSeconds(Long.parseLong(get(pc, "hub.secret-rotation-grace-seconds", "86400"))),
                Duration.ofSeconds(Long.parseLong(get(pc, "hub.standard-webhooks-tolerance-seconds", "300"))),
                Duration.ofMillis(Long.parseLong(get(pc, "hub.service-cache-ttl-ms", "5000"))),
                Integer.parseInt(get(pc, "hub.inbox.batch-size", "256")),
                Boolean.parseBoolean(get(pc, "hub.inbox.journal-fsync", "false")),
                Long.parseLong(get(pc, "hub.inbox.checkpoint-interval-ms", "1000")),
                compressPayloads(get(pc, "hub.inbox.compress-payloads", ""), dbUrl),
                Boolean.parseBoolean(get(pc, "hub.inbox.body-files", "true")));
    }

    /**
     * {@code hub.inbox.compress-payloads}: true or false as set; unset, on for the embedded H2 store (which holds
     * each new body in memory until it writes its file, long enough to be promoted: compressed bodies mean fewer
     * full collections) and off for PostgreSQL (which compresses large values itself).
     */
    static boolean compressPayloads(String setting, String dbUrl) {
        return setting.isBlank() ? Database.Dialect.of(dbUrl) == Database.Dialect.H2
                : Boolean.parseBoolean(setting.strip());
    }

    private static String get(PropertiesComponent pc, String key, String defaultValue) {
        return pc.resolveProperty(key).filter(v -> !v.isBlank()).orElse(defaultValue);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
