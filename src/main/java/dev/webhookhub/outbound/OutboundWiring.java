package dev.webhookhub.outbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.security.DestinationPolicy;
import dev.webhookhub.security.SecretCipher;
import dev.webhookhub.store.StoreFlush;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the outbound engine from the {@code hub.outbound.*} settings: binds {@code outboundPublisher} (for every
 * part that sends events out) and {@code outboundDispatcher} (for routes/outbound-dispatch.yaml), adds the admin API,
 * and ensures the PIPELINE_RESULTS_WEBHOOK_URL endpoint.
 */
public final class OutboundWiring {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundWiring.class);

    private OutboundWiring() {
    }

    public static OutboundPublisher install(CamelContext context, DataSource ds, ObjectMapper mapper,
            SecretCipher cipher, StoreFlush flush, AdminAuth auth, Path dataDir, Duration rotationGrace, EventBus bus)
            throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();

        RetrySchedule schedule = RetrySchedule.parse(get(pc, "hub.outbound.retry-schedule", RetrySchedule.DEFAULT),
                Double.parseDouble(get(pc, "hub.outbound.retry-jitter", "0.1")));
        Path backupDir = Path.of(get(pc, "hub.outbound.backup-dir", dataDir.resolve("outbound-backup").toString()));
        int concurrency = Integer.parseInt(get(pc, "hub.outbound.concurrency", "16"));
        int perEndpoint = Integer.parseInt(get(pc, "hub.outbound.per-endpoint-concurrency", "4"));
        Duration disableAfter = RetrySchedule.duration(get(pc, "hub.outbound.disable-after", "5d"));
        int inProcessRetries = Integer.parseInt(get(pc, "hub.outbound.in-process-retries", "2"));
        Duration inProcessMaxWait = RetrySchedule.duration(get(pc, "hub.outbound.in-process-max-wait", "10s"));

        DestinationPolicy policy = DestinationPolicy.of(get(pc, "hub.outbound.allowed-networks", ""));
        OutboundHttpClient http = new OutboundHttpClient(policy, Math.max(concurrency * 2, 16),
                Math.max(perEndpoint * 2, 4), Duration.ofSeconds(10));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                http.close();
            }
        });

        OutboundStore store = new OutboundStore(ds, flush, mapper, cipher);
        int encrypted = store.encryptPlaintextCredentials();
        if (encrypted > 0) {
            LOG.info("outbound endpoints: encrypted the URL and headers of {} endpoints stored before encryption",
                    encrypted);
        }
        OutboundPublisher publisher = new OutboundPublisher(store, mapper, schedule, clock);
        OutboundDispatcher dispatcher = new OutboundDispatcher(store, cipher, schedule,
                new OutboundBackups(backupDir, mapper), publisher, mapper, clock, concurrency, perEndpoint,
                disableAfter, bus, inProcessRetries, inProcessMaxWait, http);
        OutboundApi api = new OutboundApi(mapper, store, cipher, rotationGrace, clock, policy);
        registry.bind("outboundDestinationPolicy", policy);
        registry.bind("outboundStore", store);
        registry.bind("outboundPublisher", publisher);
        registry.bind("outboundDispatcher", dispatcher);
        context.addRoutes(new OutboundApiRoutes(auth, api));

        String resultsUrl = get(pc, "hub.outbound.pipeline-results-url", "");
        if (!resultsUrl.isBlank()) {
            OutboundEndpoint e = api.ensure(OutboundApi.url(mapper.getNodeFactory().textNode(resultsUrl)),
                    List.of("pipeline.completed"),
                    get(pc, "hub.outbound.pipeline-results-scheme", OutboundApi.DEFAULT_SCHEME),
                    get(pc, "hub.outbound.pipeline-results-secret", ""));
            LOG.info("PIPELINE_RESULTS_WEBHOOK_URL: outbound endpoint {} receives pipeline.completed", e.id());
            String refused = policy.check(resultsUrl);
            if (refused != null) {
                LOG.warn("PIPELINE_RESULTS_WEBHOOK_URL will not be delivered to: {}", refused);
            }
        }
        LOG.info("outbound webhooks: retry schedule {}, backups in {}, allowed internal networks: {}",
                schedule.delays(), backupDir.toAbsolutePath(), policy.describe());
        return publisher;
    }

    private static String get(PropertiesComponent pc, String key, String defaultValue) {
        return pc.resolveProperty(key).filter(v -> !v.isBlank()).orElse(defaultValue);
    }
}
