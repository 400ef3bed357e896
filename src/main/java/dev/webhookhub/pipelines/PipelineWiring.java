package dev.webhookhub.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.deliveries.DeliveryCommit;
import dev.webhookhub.deliveries.DeliveryEvent;
import dev.webhookhub.deliveries.DeliveryInbox;
import dev.webhookhub.deliveries.DeliveryPayloads;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.jenkins.JenkinsBuildParser;
import dev.webhookhub.jenkins.JenkinsClient;
import dev.webhookhub.jenkins.JenkinsHealthCheck;
import dev.webhookhub.jenkins.JenkinsPoller;
import dev.webhookhub.jenkins.JenkinsSync;
import dev.webhookhub.jenkins.JenkinsSyncApi;
import dev.webhookhub.jenkins.JenkinsWebhookToken;
import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.store.DeploymentStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipeline-run parts from the {@code hub.jenkins.*}, {@code hub.pipelines.*} and
 * {@code hub.foundries.*} settings and binds them for routes/jenkins-*.yaml, routes/foundries-webhook.yaml and
 * routes/git-event-worker.yaml, and {@code runEvents} for routes/pipeline-run-events.yaml. Sets {@code hub.jenkins.poller-enabled} (false without JENKINS_URL) and
 * {@code hub.jenkins.poll-interval-ms} for the poller route.
 */
public final class PipelineWiring {

    static final String FOUNDRIES_SECRETS = "hub.foundries.secrets.";
    private static final Logger LOG = LoggerFactory.getLogger(PipelineWiring.class);

    private PipelineWiring() {
    }

    /** Binds the beans and adds the admin API; returns the health check to register once the context runs. */
    public static HealthCheck install(CamelContext context, DataSource ds, ObjectMapper mapper, DeliveryInbox inbox,
            DeploymentStore deployments, AdminAuth auth, int payloadCap, OutboundPublisher outbound, EventBus events)
            throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        Registry registry = context.getRegistry();

        PipelineRunStore runs = new PipelineRunStore(ds, get(pc, "hub.pipelines.default-trigger-user", "jenkins"));

        String jenkinsUrl = get(pc, "hub.jenkins.url", "");
        long intervalSeconds = Long.parseLong(get(pc, "hub.jenkins.poll-interval-seconds", "10"));
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("JENKINS_POLL_INTERVAL must be at least 1 second");
        }
        Duration timeout = Duration.ofMillis(Long.parseLong(get(pc, "hub.jenkins.timeout-ms", "5000")));
        Duration syncTimeout = Duration.ofMillis(Long.parseLong(get(pc, "hub.jenkins.sync-timeout-ms", "30000")));
        pc.addOverrideProperty("hub.jenkins.poller-enabled", String.valueOf(!jenkinsUrl.isBlank()));
        pc.addOverrideProperty("hub.jenkins.poll-interval-ms", String.valueOf(intervalSeconds * 1000));

        JenkinsClient client = new JenkinsClient(mapper, get(pc, "hub.jenkins.user", ""),
                get(pc, "hub.jenkins.api-token", ""), timeout, timeout);
        JenkinsSync sync = new JenkinsSync(jenkinsUrl, client, runs,
                Integer.parseInt(get(pc, "hub.jenkins.folder-depth", "3")), syncTimeout);

        registry.bind("pipelineRunStore", runs);
        registry.bind("runEvents", new RunEvents(runs, outbound, events, mapper,
                Integer.parseInt(get(pc, "hub.pipelines.events-batch-size", "200"))));
        registry.bind("jenkinsSync", sync);
        registry.bind("jenkinsClient", client);
        registry.bind("jenkinsPoller", new JenkinsPoller(sync));
        JenkinsWebhookToken webhookToken = new JenkinsWebhookToken(get(pc, "hub.jenkins.webhook-token", ""));
        if (!webhookToken.required()) {
            LOG.warn("JENKINS_WEBHOOK_TOKEN is not set: POST /api/webhooks/jenkins accepts runs from anyone who "
                    + "can reach the hub");
        }
        if (jenkinsUrl.isBlank()) {
            LOG.info("JENKINS_URL is not set: the Jenkins poller is off");
        }
        // the steps of routes/jenkins-webhook.yaml and routes/foundries-webhook.yaml
        registry.bind("jenkinsWebhookToken", webhookToken);
        registry.bind("jenkinsBuildParser", new JenkinsBuildParser(mapper));
        registry.bind("foundriesWebhookVerifier", new FoundriesWebhookVerifier(foundriesSecrets(pc)));
        registry.bind("foundriesBuildParser", new FoundriesBuildParser(mapper));
        registry.bind("runRecorder", new RunRecorder(runs, new DeliveryCommit(inbox, payloadCap)));
        registry.bind("runResponder", new RunResponder(mapper));
        // the worker routes' choice, once per queued delivery: a ref-language predicate, since the method
        // language copies the exchange and binds parameters on every call
        registry.bind("ciRunEvent", (Predicate) e -> PipelineEventWorker.handlesType(
                DeliveryEvent.of(e.getIn().getBody()).type()));
        registry.bind("pipelineEventWorker",
                new PipelineEventWorker(mapper,
                        registry.lookupByNameAndType("deliveryPayloads", DeliveryPayloads.class), runs, deployments));

        context.addRoutes(new PipelineApiRoutes(auth, new PipelineRunsApi(mapper, runs),
                new JenkinsSyncApi(mapper, sync, syncTimeout.plusSeconds(5))));
        return new JenkinsHealthCheck(sync);
    }

    /** {@code hub.foundries.secrets.<name> = <secret>}; FOUNDRIES_WEBHOOK_SECRET is the one named default. */
    static Map<String, String> foundriesSecrets(PropertiesComponent pc) {
        Map<String, String> secrets = new HashMap<>();
        for (String key : pc.loadProperties(k -> k.startsWith(FOUNDRIES_SECRETS)).stringPropertyNames()) {
            String name = key.substring(FOUNDRIES_SECRETS.length());
            String secret = get(pc, key, "");
            if (!name.isBlank() && !secret.isBlank()) {
                secrets.put(name, secret);
            }
        }
        return secrets;
    }

    private static String get(PropertiesComponent pc, String key, String defaultValue) {
        return pc.resolveProperty(key).filter(v -> !v.isBlank()).orElse(defaultValue);
    }
}
