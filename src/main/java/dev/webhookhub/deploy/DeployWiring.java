package dev.webhookhub.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.store.DeploymentRuns;
import dev.webhookhub.store.ServiceStore;
import dev.webhookhub.store.StoreFlush;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the deployment flow (routes/deployments.yaml) and its admin API; returns its health check. */
public final class DeployWiring {

    private static final Logger LOG = LoggerFactory.getLogger(DeployWiring.class);

    private DeployWiring() {
    }

    public static HealthCheck install(CamelContext context, DataSource ds, ObjectMapper mapper, ServiceStore services,
            StoreFlush flush, EventBus events, AdminAuth auth, Path dataDir) throws Exception {
        DeploySettings settings = DeploySettings.from(context.getPropertiesComponent(), dataDir);
        DeploymentRuns runs = new DeploymentRuns(ds, flush);
        context.getRegistry().bind("deploymentFlow", new DeploymentFlow(settings, runs, services, ds, events, mapper));
        context.addRoutes(new DeploymentApiRoutes(auth, new DeploymentsApi(mapper, services, runs)));
        LogFollower follower = new LogFollower(runs, auth, 300);
        context.addStartupListener((ctx, alreadyStarted) -> {
            VertxPlatformHttpRouter router = ctx.getRegistry().findSingleByType(VertxPlatformHttpRouter.class);
            if (router != null && !alreadyStarted) {
                follower.install(router);
            }
        });
        String off = settings.offReason();
        if (off != null) {
            LOG.warn("{}: pushes are recorded as pending deployments", off);
        } else {
            LOG.info("deploys are on: Docker at {}, registry {}, up to {} at once", settings.dockerHost(),
                    settings.registryUrl().isBlank() ? "(none: images stay on the daemon)" : settings.registryUrl(),
                    settings.maxConcurrent());
        }
        return new DeploymentsHealthCheck(settings);
    }
}
