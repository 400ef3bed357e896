package dev.webhookhub.deploy;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Says whether deploys are on. Always up (the hub takes webhooks either way); the message says why deploys are off
 * (no DOCKER_HOST) or which daemon they use.
 */
public final class DeploymentsHealthCheck extends AbstractHealthCheck {

    private final DeploySettings settings;

    public DeploymentsHealthCheck(DeploySettings settings) {
        super("hub", "deployments");
        this.settings = settings;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String off = settings.offReason();
        builder.detail("deploys", off == null ? "on" : "off");
        builder.message(off != null ? off : "deploys are on (Docker at " + settings.dockerHost()
                + (settings.dockerTls() && !settings.dockerHost().startsWith("unix://") ? ", TLS" : "") + ")");
        builder.up();
    }
}
