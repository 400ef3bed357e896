package dev.webhookhub.deploy;

import dev.webhookhub.outbound.RetrySchedule;
import dev.webhookhub.security.OwnerOnlyFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.apache.camel.spi.PropertiesComponent;

/** The deployment settings ({@code hub.docker.*}, {@code hub.deploy.*}, {@code hub.git.*}). */
public record DeploySettings(
        String dockerHost,
        boolean dockerTls,
        Path dockerCertPath,
        String apiVersion,
        String registryUrl,
        String registryUser,
        String registryPassword,
        String gitToken,
        GitSsh gitSsh,
        int maxConcurrent,
        Duration healthTimeout,
        Duration healthInterval,
        Duration buildTimeout,
        boolean cancelRunning,
        String nixBuildCommand,
        String nixCacheUrl,
        int logCapChars,
        Path workDir,
        String instanceId,
        Duration claimLease) {

    public static DeploySettings from(PropertiesComponent pc, Path dataDir) {
        return new DeploySettings(
                get(pc, "hub.docker.host", ""),
                DockerTls.enabled(get(pc, "hub.docker.tls-verify", "")),
                DockerTls.certPath(get(pc, "hub.docker.cert-path", "")),
                get(pc, "hub.docker.api-version", "1.44"),
                stripSlash(get(pc, "hub.docker.registry-url", "")),
                get(pc, "hub.docker.registry-user", ""),
                get(pc, "hub.docker.registry-password", ""),
                get(pc, "hub.git.token", ""),
                new GitSsh(get(pc, "hub.git.ssh-key", ""), get(pc, "hub.git.ssh-key-passphrase", ""),
                        get(pc, "hub.git.ssh-known-hosts", "").isBlank() ? null
                                : Path.of(get(pc, "hub.git.ssh-known-hosts", "")),
                        !"false".equalsIgnoreCase(get(pc, "hub.git.ssh-strict-host-key-checking", "true"))),
                Math.max(1, Integer.parseInt(get(pc, "hub.deploy.max-concurrent", "2"))),
                duration(get(pc, "hub.deploy.health-timeout", "60")),
                duration(get(pc, "hub.deploy.health-interval", "3s")),
                duration(get(pc, "hub.deploy.build-timeout", "15m")),
                Boolean.parseBoolean(get(pc, "hub.deploy.cancel-running", "false")),
                get(pc, "hub.deploy.nix-build-command", "nix-build"),
                get(pc, "hub.deploy.nix-cache-url", ""),
                Integer.parseInt(get(pc, "hub.deploy.log-cap-bytes", String.valueOf(5 * 1024 * 1024))),
                dataDir.resolve("deploy-work"),
                instanceId(get(pc, "hub.deploy.instance-id", ""), dataDir),
                duration(get(pc, "hub.deploy.claim-lease", "60s")));
    }

    /** Why deploys are off, or null when they are on. */
    public String offReason() {
        if (dockerHost.isBlank()) {
            return "deploys are off (DOCKER_HOST not set)";
        }
        if (!DockerEngine.supports(dockerHost)) {
            return "deploys are off (DOCKER_HOST " + dockerHost + " is not supported: use unix:///path/to/docker.sock or tcp://host:port)";
        }
        if (dockerTls && !dockerHost.startsWith("unix://")) {
            for (String f : java.util.List.of("ca.pem", "cert.pem", "key.pem")) {
                if (!java.nio.file.Files.isReadable(dockerCertPath.resolve(f))) {
                    return "deploys are off (DOCKER_TLS_VERIFY is set but " + dockerCertPath.resolve(f)
                            + " cannot be read: set DOCKER_CERT_PATH)";
                }
            }
        }
        return null;
    }

    /** The transport to the daemon (unix, tcp, TLS from DOCKER_CERT_PATH); only when deploys are on. */
    public DockerTransport dockerTransport() throws java.io.IOException {
        return DockerTransport.forHost(dockerHost, dockerTls && !dockerHost.startsWith("unix://")
                ? DockerTls.context(dockerCertPath) : null);
    }

    /** A number alone is seconds; otherwise 500ms, 30s, 2m, ... */
    static Duration duration(String v) {
        return v.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(v)) : RetrySchedule.duration(v);
    }

    private static String instanceId(String configured, Path dataDir) {
        if (!configured.isBlank()) {
            return configured;
        }
        return OwnerOnlyFiles.readOrCreate(dataDir.resolve("instance-id"), () -> UUID.randomUUID().toString());
    }

    private static String get(PropertiesComponent pc, String key, String defaultValue) {
        return pc.resolveProperty(key).filter(v -> !v.isBlank()).map(String::strip).orElse(defaultValue);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
