package dev.webhookhub.kafka;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Readiness of an instance that uses Kafka: DOWN while no broker answers (within two seconds), or while the outbox
 * relay cannot publish. Not a liveness check: a broker outage should take the instance out of the load balancer
 * (it still accepts and commits deliveries, but cannot hand them on), not get it restarted.
 */
public final class KafkaHealthCheck extends AbstractHealthCheck implements AutoCloseable {

    private static final int TIMEOUT_MS = 2_000;

    private final Properties adminConfig;
    private final Supplier<Optional<String>> relayFailure;
    private final boolean readiness;
    private Admin admin;

    /**
     * {@code readiness}: part of {@code /observe/health/ready} (scaled mode); otherwise (Kafka only for the events
     * output and the sync target) listed in the full health only, since a broker outage does not stop the hub's work.
     */
    public KafkaHealthCheck(Properties adminConfig, Supplier<Optional<String>> relayFailure, boolean readiness) {
        super("hub", "kafka");
        this.adminConfig = adminConfig;
        this.relayFailure = relayFailure;
        this.readiness = readiness;
    }

    @Override
    public boolean isReadiness() {
        return readiness;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).nodes()
                    .get(TIMEOUT_MS + 500, TimeUnit.MILLISECONDS).size();
            if (nodes == 0) {
                builder.message("kafka unavailable: no broker").down();
                return;
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            builder.message("kafka unavailable: " + DeliveryOutboxRelay.rootMessage(e)).down();
            return;
        }
        Optional<String> failing = relayFailure.get();
        if (failing.isPresent()) {
            builder.message("kafka outbox cannot publish: " + failing.get()).down();
            return;
        }
        builder.up();
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminConfig);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
            admin = null;
        }
    }
}
