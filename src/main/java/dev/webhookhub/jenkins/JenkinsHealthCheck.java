package dev.webhookhub.jenkins;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The {@code jenkins} check in /observe/health: DOWN while the last sync pass failed. It is neither a liveness nor a
 * readiness check: a Jenkins outage degrades the hub's health report but must not take the webhook receivers out of
 * a load balancer or get the hub restarted.
 */
public final class JenkinsHealthCheck extends AbstractHealthCheck {

    private final JenkinsSync sync;

    public JenkinsHealthCheck(JenkinsSync sync) {
        super("hub", "jenkins");
        this.sync = sync;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (!sync.configured()) {
            builder.detail("jenkins.configured", false).message("JENKINS_URL is not set; Jenkins sync is off").up();
            return;
        }
        builder.detail("jenkins.url", sync.baseUrl());
        sync.last().ifPresentOrElse(last -> {
            builder.detail("jenkins.lastSync", last.at().toString());
            builder.message(last.message());
            if (last.ok()) {
                builder.up();
            } else {
                builder.down();
            }
        }, () -> builder.message("no sync has finished yet").up());
    }
}
