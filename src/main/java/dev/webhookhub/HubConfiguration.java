package dev.webhookhub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.webhookhub.api.AdminApiRoutes;
import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.api.ServicesApi;
import dev.webhookhub.deliveries.DeliveryEvent;
import dev.webhookhub.deliveries.DeliveryFailureMarker;
import dev.webhookhub.deliveries.DeliveryIdempotentRepository;
import dev.webhookhub.deliveries.DeliveryLog;
import dev.webhookhub.deliveries.DeliveryRecorder;
import dev.webhookhub.deliveries.DeliveryRetention;
import dev.webhookhub.deliveries.RejectionResponder;
import dev.webhookhub.deliveries.WebhookResponder;
import dev.webhookhub.deploy.DeployWiring;
import dev.webhookhub.deploy.GitEventWorker;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.http.HttpEdge;
import dev.webhookhub.inbound.AzureDevOpsAdapter;
import dev.webhookhub.inbound.BitbucketAdapter;
import dev.webhookhub.inbound.CloudEventsHandshake;
import dev.webhookhub.inbound.ConfiguredSenderVerifier;
import dev.webhookhub.inbound.GitHubAdapter;
import dev.webhookhub.inbound.GitLabAdapter;
import dev.webhookhub.inbound.GitProviderAdapter;
import dev.webhookhub.inbound.GitWebhookVerifier;
import dev.webhookhub.inbound.RawFormBodies;
import dev.webhookhub.inbound.ReceiverHeaderFilter;
import dev.webhookhub.inbound.ServiceDirectory;
import dev.webhookhub.inbound.UnknownWebhooks;
import dev.webhookhub.inbound.WebhookHttpGuard;
import dev.webhookhub.kafka.KafkaWiring;
import dev.webhookhub.notify.NotificationWiring;
import dev.webhookhub.ops.DatabaseHealthCheck;
import dev.webhookhub.ops.JsonHttpErrors;
import dev.webhookhub.ops.LiveRouteHealthChecks;
import dev.webhookhub.ops.ManagementSecurity;
import dev.webhookhub.outbound.OutboundDispatcher;
import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.outbound.OutboundWiring;
import dev.webhookhub.pipelines.PipelineWiring;
import dev.webhookhub.results.ResultsWiring;
import dev.webhookhub.security.AdminToken;
import dev.webhookhub.security.AuthFailures;
import dev.webhookhub.security.OwnerOnlyFiles;
import dev.webhookhub.security.SecretCipher;
import dev.webhookhub.security.SecretKeys;
import dev.webhookhub.security.SensitiveSettings;
import dev.webhookhub.security.SignatureSchemes;
import dev.webhookhub.security.StandardWebhooksSignature;
import dev.webhookhub.store.Database;
import dev.webhookhub.deliveries.DeliveryBodies;
import dev.webhookhub.deliveries.DeliveryInbox;
import dev.webhookhub.deliveries.DeliveryPayloads;
import dev.webhookhub.deliveries.DeliveryJournal;
import dev.webhookhub.store.DeploymentStore;
import dev.webhookhub.deliveries.IdempotencyKeys;
import dev.webhookhub.store.ServiceStore;
import dev.webhookhub.store.StoreFlush;
import dev.webhookhub.store.WebhookSecretStore;
import dev.webhookhub.sync.SyncConfigStore;
import dev.webhookhub.sync.SyncJobQueue;
import dev.webhookhub.sync.SyncWiring;
import dev.webhookhub.ui.DashboardHttp;
import dev.webhookhub.ui.DashboardWiring;
import dev.webhookhub.webhooks.RegisteredWebhookStore;
import dev.webhookhub.webhooks.RegisteredWebhookWiring;
import dev.webhookhub.webhooks.SyncJobTrigger;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the hub's parts from the settings and binds them for the YAML routes and the admin API. */
public final class HubConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HubConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        HubSettings settings = HubSettings.from(context);
        SensitiveSettings.register(context);
        try {
            OwnerOnlyFiles.createPrivateDirectories(settings.dataDir()); // 0700
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + settings.dataDir(), e);
        }
        Registry registry = context.getRegistry();
        EventBus events = new EventBus(context);
        registry.bind("eventBus", events);

        VertxOptions vertxOptions = new VertxOptions().setWorkerPoolSize(
                Integer.parseInt(context.resolvePropertyPlaceholders("{{hub.http.worker-threads:32}}")));
        registry.bind("vertxOptions", vertxOptions);
        HttpEdge httpEdge = HttpEdge.configure(context, vertxOptions);

        HikariDataSource ds = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(),
                settings.dbPoolSize());
        registry.bind("dataSource", ds);
        ObjectMapper mapper = new ObjectMapper();
        SecretCipher cipher = SecretKeys.cipher(settings.secretKey(), settings.dataDir());
        AdminToken adminToken = AdminToken.resolve(settings.adminToken(), settings.dataDir());

        Database.Dialect dialect = Database.Dialect.of(settings.dbUrl());
        StoreFlush flush = StoreFlush.forDatabase(ds, dialect, settings.journalFsync());
        ServiceStore services = new ServiceStore(ds, flush);
        WebhookSecretStore secrets = new WebhookSecretStore(ds, cipher, flush);
        ServiceDirectory directory = new ServiceDirectory(services, secrets, settings.serviceCacheTtl());
        DeploymentStore deployments = new DeploymentStore(ds);
        // embedded mode: bodies written to files (when on) and read back from them (always: rows may point there)
        DeliveryBodies bodyFiles = dialect == Database.Dialect.H2
                ? new DeliveryBodies(settings.dataDir().resolve("delivery-bodies"), settings.journalFsync())
                : null;
        DeliveryInbox inbox = dialect == Database.Dialect.H2
                ? new DeliveryInbox(ds, settings.inboxBatchSize(), settings.compressPayloads(),
                        new DeliveryJournal(settings.dataDir().resolve("inbox-journal"), settings.journalFsync()),
                        settings.bodyFiles() ? bodyFiles : null, flush, settings.journalCheckpointMillis())
                : new DeliveryInbox(ds, settings.inboxBatchSize(), settings.compressPayloads());
        DeliveryPayloads payloads = new DeliveryPayloads(ds, bodyFiles);
        registry.bind("deliveryPayloads", payloads);
        RawFormBodies rawForms = new RawFormBodies();

        StandardWebhooksSignature standardWebhooks = new StandardWebhooksSignature(Clock.systemUTC(),
                settings.standardWebhooksTolerance());
        SignatureSchemes signatureSchemes = new SignatureSchemes(standardWebhooks);
        registry.bind("signatureSchemes", signatureSchemes);
        Map<String, GitProviderAdapter> providers = new LinkedHashMap<>();
        for (GitProviderAdapter a : new GitProviderAdapter[] { new GitHubAdapter(),
                new GitLabAdapter(standardWebhooks),
                new BitbucketAdapter(), new AzureDevOpsAdapter() }) {
            providers.put(a.name(), a);
        }

        Set<String> senders = new HashSet<>(providers.keySet());
        senders.add(RegisteredWebhookStore.PROVIDER);
        UnknownWebhooks unknownWebhooks = new UnknownWebhooks(senders,
                () -> context.getRegistry().findSingleByType(MeterRegistry.class));
        registry.bind("gitWebhookVerifier", new GitWebhookVerifier(providers, directory, rawForms, mapper,
                settings.maxBodyBytes(), unknownWebhooks));
        registry.bind("senderVerifier", new ConfiguredSenderVerifier(signatureSchemes, mapper,
                settings.maxBodyBytes()));
        registry.bind("deliveryIdempotency", new DeliveryIdempotentRepository(new IdempotencyKeys(ds)));
        registry.bind("deliveryRecorder", new DeliveryRecorder(inbox, settings.rejectedPayloadCap()));
        registry.bind("webhookResponder", new WebhookResponder(mapper));
        registry.bind("receiverHeaders", new ReceiverHeaderFilter());
        registry.bind("rejectionResponder", new RejectionResponder(inbox, settings.rejectedPayloadCap()));
        DeliveryEvent.registerConverter(context);
        registry.bind("gitEventWorker", new GitEventWorker(deployments, events));
        registry.bind("gitEventBatch", AggregationStrategies.groupedBody());
        registry.bind("deliveryFailureMarker", new DeliveryFailureMarker(deployments));
        registry.bind("deliveryRetention", DeliveryRetention.ofDays(ds, bodyFiles,
                Integer.parseInt(context.resolvePropertyPlaceholders("{{hub.retention.days:30}}")),
                Integer.parseInt(context.resolvePropertyPlaceholders("{{hub.retention.rejected-days:7}}")),
                Integer.parseInt(context.resolvePropertyPlaceholders("{{hub.retention.batch-size:500}}"))));

        ServicesApi servicesApi = new ServicesApi(mapper, services, secrets, directory,
                new DeliveryLog(ds, payloads), providers, settings.publicUrl(), settings.secretRotationGrace());
        AuthFailures authFailures = new AuthFailures(Integer.parseInt(
                context.resolvePropertyPlaceholders("{{hub.auth.failure-limit:10}}")), 10_000, Clock.systemUTC());
        AdminAuth adminAuth = new AdminAuth(adminToken, authFailures);
        ManagementSecurity management = ManagementSecurity.create(context, adminToken, authFailures);
        context.addRoutes(new AdminApiRoutes(adminAuth, servicesApi));
        OutboundPublisher outbound = OutboundWiring.install(context, ds, mapper, cipher, flush, adminAuth,
                settings.dataDir(), settings.secretRotationGrace(), events);
        HealthCheck jenkinsCheck = PipelineWiring.install(context, ds, mapper, inbox, deployments, adminAuth,
                settings.rejectedPayloadCap(), outbound, events);
        ResultsWiring.install(context, ds, mapper, flush, adminAuth, settings);
        NotificationWiring.install(context, ds, mapper, cipher, flush, adminAuth, settings.secretRotationGrace());
        SyncJobQueue syncJobs = SyncWiring.install(context, ds, mapper, cipher, flush, adminAuth, events, outbound,
                dialect);
        RegisteredWebhookWiring.install(context, ds, mapper, cipher, flush, adminAuth, settings, services, events,
                unknownWebhooks, new SyncJobTrigger(syncJobs,
                        registry.lookupByNameAndType("syncConfigStore", SyncConfigStore.class)));
        DashboardHttp dashboard = DashboardWiring.install(context, ds, mapper, adminToken, adminAuth, events);
        HealthCheck deploymentsCheck = DeployWiring.install(context, ds, mapper, services, flush, events, adminAuth,
                settings.dataDir());
        KafkaWiring.install(context, ds, dialect, inbox, mapper);
        OwnerOnlyFiles.secureDataDirectory(settings.dataDir());

        DatabaseHealthCheck databaseCheck = new DatabaseHealthCheck(ds, inbox);

        WebhookHttpGuard guard = new WebhookHttpGuard(rawForms, settings.maxBodyBytes(), inbox, mapper,
                providers.keySet(), directory, unknownWebhooks, httpEdge.earlyAnswer());
        context.addStartupListener((ctx, alreadyStarted) -> {
            VertxPlatformHttpRouter router = ctx.getRegistry().findSingleByType(VertxPlatformHttpRouter.class);
            if (router != null && !alreadyStarted) {
                httpEdge.install(router, ctx.getRegistry().findSingleByType(MeterRegistry.class));
                management.install(router);
                guard.install(router);
                CloudEventsHandshake.install(router);
                dashboard.install(router);
                JsonHttpErrors.install(router,
                        ctx.resolvePropertyPlaceholders("{{camel.management.path:/observe}}") + "/jolokia");
            }
            HealthCheckRegistry health = HealthCheckRegistry.get(ctx);
            if (health != null && !alreadyStarted) {
                LiveRouteHealthChecks.install(ctx, SyncWiring::isRunRoute);
                health.register(databaseCheck);
                health.register(jenkinsCheck);
                health.register(deploymentsCheck);
            }
            if (alreadyStarted) {
                return; // routes added at run time (sync connectors) call this again
            }
            LOG.info("Webhook Hub ready: {} (admin token: {})", settings.publicUrl(),
                    settings.adminToken().isBlank()
                            ? "see " + settings.dataDir().resolve(AdminToken.FILE_NAME).toAbsolutePath()
                            : "from HUB_ADMIN_TOKEN");
        });
        // stopped after the routes, so in-flight deliveries finish their commits first
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                OutboundDispatcher dispatcher = registry.lookupByNameAndType("outboundDispatcher",
                        OutboundDispatcher.class);
                if (dispatcher != null) {
                    dispatcher.releaseWaiting();
                }
                inbox.close();
                ds.close();
            }
        });
    }
}
