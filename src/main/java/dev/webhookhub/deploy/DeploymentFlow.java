package dev.webhookhub.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.events.EventTypes;
import dev.webhookhub.store.DeploymentRun;
import dev.webhookhub.store.DeploymentRuns;
import dev.webhookhub.store.DeploymentRuns.ServiceChange;
import dev.webhookhub.store.Jdbc;
import dev.webhookhub.store.Service;
import dev.webhookhub.store.ServiceStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phases of a deployment, one method per step of routes/deployments.yaml. The exchange body is the deployment
 * id; each step reads the deployment from the store, does its work, commits its transition (with its time stamps and
 * the service's status) and only then raises its event. Outcomes for the route's choices go in headers:
 * {@code deployOutcome} (built, build_failed, roll_back), {@code deployHealthy}, {@code deployRollBack}.
 */
public final class DeploymentFlow {

    public static final String OUTCOME = "deployOutcome";
    public static final String HEALTHY = "deployHealthy";
    public static final String ROLL_BACK = "deployRollBack";
    private static final String ERROR = "deployError";
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentFlow.class);
    private static final Set<String> BUILDING = Set.of(DeploymentRun.BUILDING);
    private static final Set<String> DEPLOYING = Set.of(DeploymentRun.DEPLOYING);
    private static final Set<String> FAILED = Set.of(DeploymentRun.FAILED);

    private final DeploySettings settings;
    private final DeploymentRuns runs;
    private final ServiceStore services;
    private final DataSource ds;
    private final EventBus events;
    private final ObjectMapper mapper;
    private final DockerEngine docker;
    /** When this hub started (deployments claimed before it are an earlier run's, to resume). */
    private final Instant createdAt = Instant.now();
    // HTTP/1.1: JDK 17's h2c upgrade misreads about one in 200 upgraded answers of an h2c-capable service (README)
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    /** Builds running on this instance, to cancel when a newer push comes (HUB_DEPLOY_CANCEL_RUNNING). */
    private final Map<String, RunningBuild> running = new java.util.concurrent.ConcurrentHashMap<>();
    /** When this instance last renewed its claim leases. */
    private volatile Instant lastHeartbeat;

    private record RunningBuild(String serviceId, Instant createdAt, BuildCancel cancel) {
    }

    public DeploymentFlow(DeploySettings settings, DeploymentRuns runs, ServiceStore services, DataSource ds,
            EventBus events, ObjectMapper mapper) {
        this.settings = settings;
        this.runs = runs;
        this.services = services;
        this.ds = ds;
        this.events = events;
        this.mapper = mapper;
        this.docker = settings.offReason() == null ? new DockerEngine(transport(settings), settings.apiVersion(),
                settings.registryUrl(), settings.registryUser(), settings.registryPassword(), mapper) : null;
    }

    private static DockerTransport transport(DeploySettings settings) {
        try {
            return settings.dockerTransport();
        } catch (IOException e) {
            throw new IllegalStateException("cannot set up the Docker client for " + settings.dockerHost() + ": "
                    + e.getMessage(), e);
        }
    }

    public DeploySettings settings() {
        return settings;
    }

    // ---- scheduling

    /**
     * One scheduling round: supersedes pending deployments that have a newer one, then claims pending deployments
     * (one per service, up to the free slots of this instance). Returns the ids claimed. With deploys off, stamps
     * pending deployments with the reason and claims nothing.
     */
    public List<String> claim() {
        List<DeploymentRun> superseded = runs.supersede();
        if (superseded.size() > 10) {
            // under a burst of pushes: one line per round, not one per push
            LOG.info("{} pending deployments superseded by newer ones (services {})", superseded.size(),
                    superseded.stream().map(DeploymentRun::serviceId).distinct().limit(10).toList());
        }
        for (DeploymentRun d : superseded) {
            if (superseded.size() > 10) {
                LOG.debug("deployment {} of service {} superseded by a newer one", d.id(), d.serviceId());
            } else {
                LOG.info("deployment {} of service {} superseded by a newer one", d.id(), d.serviceId());
            }
        }
        String off = settings.offReason();
        if (off != null) {
            Jdbc.update(ds, "UPDATE deployments SET error = ? WHERE status = 'pending' AND error IS NULL",
                    ps -> ps.setString(1, off), "cannot mark pending deployments");
            return List.of();
        }
        List<DeploymentRun> pending = runs.pending(100);
        if (settings.cancelRunning()) {
            running.forEach((id, b) -> {
                if (!b.cancel().cancelled() && pending.stream().anyMatch(p -> p.serviceId().equals(b.serviceId())
                        && p.createdAt().isAfter(b.createdAt()))) {
                    LOG.info("cancelling the build of deployment {}: a newer push for its service came", id);
                    b.cancel().cancel();
                }
            });
        }
        heartbeat();
        int free = settings.maxConcurrent() - runs.activeClaims(settings.instanceId());
        List<String> claimed = new ArrayList<>();
        if (free <= 0) {
            return claimed;
        }
        for (DeploymentRun d : runs.takeOverExpired(settings.instanceId(), settings.claimLease(), free)) {
            LOG.warn("taking over deployment {} of service {} ({}) from instance {}: its claim lease expired",
                    d.id(), d.serviceId(), d.status(), d.claimedBy());
            try (BuildLog log = log(d)) {
                log.step("instance " + d.claimedBy() + " stopped renewing its claim; instance "
                        + settings.instanceId() + " takes the deployment over (" + d.status() + ")");
            }
            claimed.add(d.id());
            free--;
        }
        if (free <= 0) {
            return claimed;
        }
        for (DeploymentRun d : pending) {
            if (claimed.size() >= free) {
                break;
            }
            if (runs.claim(d, settings.instanceId(), settings.claimLease())) {
                claimed.add(d.id());
            }
        }
        return claimed;
    }

    /**
     * Renews this instance's claim leases, about four times per lease: while it lives no other instance takes its
     * deployments over, however long a build runs.
     */
    private void heartbeat() {
        Instant now = Instant.now();
        if (lastHeartbeat == null || !now.isBefore(lastHeartbeat.plus(settings.claimLease().dividedBy(4)))) {
            runs.renewLeases(settings.instanceId(), settings.claimLease());
            lastHeartbeat = now;
        }
    }

    /** Deployments this instance claimed before it stopped, to finish now. */
    public List<String> resume() {
        if (settings.offReason() != null) {
            return List.of();
        }
        // only what an earlier run of this instance claimed: a claim made since this start is already queued
        List<String> ids = runs.claimedBy(settings.instanceId()).stream()
                .filter(d -> d.buildStartedAt() == null || d.buildStartedAt().isBefore(createdAt))
                // still ours (not taken over by another instance while this one was down): renew it, then resume
                .filter(d -> runs.renewLease(d.id(), settings.instanceId(), settings.claimLease()))
                .map(DeploymentRun::id).toList();
        if (!ids.isEmpty()) {
            LOG.info("resuming {} deployment(s) left unfinished: {}", ids.size(), ids);
        }
        return ids;
    }

    // ---- build

    /** building: checks the commit out, builds the image, pushes it; build_completed or build_failed. */
    public void build(Exchange exchange) {
        DeploymentRun d = run(exchange);
        if (d.status().equals(DeploymentRun.FAILED)) {
            exchange.getIn().setHeader(OUTCOME, "roll_back");
            return;
        }
        if (d.status().equals(DeploymentRun.DEPLOYING) || d.status().equals(DeploymentRun.BUILDING)
                && d.image() != null && d.buildFinishedAt() == null && "rollback".equals(d.provider())) {
            exchange.getIn().setHeader(OUTCOME, "built");
            return;
        }
        if (!d.status().equals(DeploymentRun.BUILDING)) {
            exchange.getIn().setHeader(OUTCOME, "done");
            return;
        }
        Service s = service(d);
        JsonNode config = buildConfig(s);
        Path work = settings.workDir().resolve(d.id());
        Path tar = settings.workDir().resolve(d.id() + ".tar");
        publish(EventTypes.BUILD_STARTED, d, s, Map.of("status", "building"));
        BuildCancel cancel = new BuildCancel();
        running.put(d.id(), new RunningBuild(d.serviceId(), d.createdAt(), cancel));
        try (BuildLog log = log(d)) {
            try {
                String type = config.path("type").asText("dockerfile");
                if (!List.of("dockerfile", "command", "nix").contains(type)) {
                    throw new IOException("build type " + type + " is not supported (dockerfile, command, nix)");
                }
                String repo = s.gitRepository() != null ? s.gitRepository() : d.repositoryUrl();
                if (repo == null || repo.isBlank()) {
                    throw new IOException("the service has no git_repository");
                }
                log.step("checking out " + (d.commitSha() != null ? d.commitSha() : "branch " + branch(d, s))
                        + " of " + repo);
                String token = config.path("git_token").asText(settings.gitToken());
                GitSsh ssh = GitCheckout.isSsh(repo) ? settings.gitSsh().forService(
                        config.path("git_ssh_key").asText(null), config.path("git_ssh_key_passphrase").asText(null))
                        : GitSsh.NONE;
                String commit = GitCheckout.checkout(repo, d.commitSha(), branch(d, s), token, ssh, work, log::step);
                String image = imageRepository(s) + ":" + commit.substring(0, 12);
                if (cancel.cancelled()) {
                    throw new IOException("cancelled");
                }
                switch (type) {
                    case "command" -> {
                        String command = config.path("command").asText("");
                        if (command.isBlank()) {
                            throw new IOException("build_config.command is required for build type command");
                        }
                        log.step("running the build command for " + image);
                        BuildCommand.run(List.of("sh", "-c", command), work, commandEnv(image, commit, branch(d, s)),
                                log, settings.buildTimeout(), cancel);
                    }
                    case "nix" -> {
                        List<String> command = new ArrayList<>(List.of(settings.nixBuildCommand().split("\\s+")));
                        command.addAll(List.of(config.path("nix_file").asText("default.nix"), "-A",
                                config.path("nix_attr").asText("dockerImage"), "--out-link", "result"));
                        if (!settings.nixCacheUrl().isBlank()) {
                            command.addAll(List.of("--option", "extra-substituters", settings.nixCacheUrl()));
                        }
                        log.step("running " + String.join(" ", command));
                        BuildCommand.run(command, work, commandEnv(image, commit, branch(d, s)), log,
                                settings.buildTimeout(), cancel);
                        Path result = work.resolve("result");
                        if (!Files.isRegularFile(result)) {
                            throw new IOException("the Nix build left no image tarball at result");
                        }
                        String loaded = docker.load(result, log, settings.buildTimeout(), cancel);
                        log.step("loaded " + loaded + "; tagging it " + image);
                        docker.tag(loaded, image);
                    }
                    default -> {
                        int files;
                        try (OutputStream out = Files.newOutputStream(tar)) {
                            files = BuildContext.tar(work, out);
                        }
                        log.step("build context: " + files + " files; building " + image);
                        Map<String, String> query = new LinkedHashMap<>();
                        if (config.hasNonNull("dockerfile")) {
                            query.put("dockerfile", config.get("dockerfile").asText());
                        }
                        if (config.hasNonNull("target")) {
                            query.put("target", config.get("target").asText());
                        }
                        if (config.path("build_args").isObject()) {
                            query.put("buildargs", config.get("build_args").toString());
                        }
                        docker.build(tar, image, query, log, settings.buildTimeout(), cancel);
                    }
                }
                if (!settings.registryUrl().isBlank()) {
                    log.step("pushing " + image + " to " + settings.registryUrl());
                    docker.push(image, log, settings.buildTimeout(), cancel);
                }
                log.step("built " + image);
                Map<String, Object> set = new LinkedHashMap<>();
                set.put("image", image);
                set.put("commit_sha", commit);
                set.put("build_finished_at", Instant.now());
                runs.transition(d.id(), BUILDING, DeploymentRun.BUILDING, set, null);
                exchange.getIn().setHeader(OUTCOME, "built");
                publish(EventTypes.BUILD_COMPLETED, run(exchange), s, Map.of("status", "built"));
            } catch (IOException | RuntimeException e) {
                if (e instanceof dev.webhookhub.store.StoreException se) {
                    throw se;
                }
                stopIfHubStops(exchange);
                Instant now = Instant.now();
                if (cancel.cancelled()) {
                    String why = "build cancelled: a newer push came (HUB_DEPLOY_CANCEL_RUNNING)";
                    log.step(why);
                    Map<String, Object> set = new LinkedHashMap<>();
                    set.put("error", why);
                    set.put("build_finished_at", now);
                    set.put("finished_at", now);
                    runs.transition(d.id(), BUILDING, DeploymentRun.SUPERSEDED, set, ServiceChange.finish(
                            runs.currentImage(s.id()).isPresent() ? "running" : "active", null));
                    exchange.getIn().setHeader(OUTCOME, "superseded");
                    return;
                }
                String error = "build failed: " + message(e);
                log.step(error);
                Map<String, Object> set = new LinkedHashMap<>();
                set.put("error", error);
                set.put("build_finished_at", now);
                set.put("finished_at", now);
                String serviceStatus = runs.currentImage(s.id()).isPresent() ? "running" : "failed";
                runs.transition(d.id(), BUILDING, DeploymentRun.BUILD_FAILED, set,
                        ServiceChange.finish(serviceStatus, null));
                exchange.getIn().setHeader(OUTCOME, "build_failed");
                publish(EventTypes.BUILD_FAILED, run(exchange), s, Map.of("status", "build_failed"));
            }
        } finally {
            running.remove(d.id());
            try {
                GitCheckout.delete(work);
                Files.deleteIfExists(tar);
            } catch (IOException e) {
                LOG.warn("cannot clean {}: {}", work, e.getMessage());
            }
        }
    }

    // ---- deploy

    /** deploying: records the image it replaces; deployment_started. */
    public void startDeploying(Exchange exchange) throws IOException {
        DeploymentRun d = run(exchange);
        if (!d.status().equals(DeploymentRun.BUILDING)) {
            return;
        }
        Service s = service(d);
        String previous = docker.inspectService(swarmName(s))
                .map(n -> n.path("Spec").path("TaskTemplate").path("ContainerSpec").path("Image").asText(null))
                .orElse(runs.currentImage(s.id()).orElse(null));
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("deploy_started_at", Instant.now());
        set.put("previous_image", previous);
        if (runs.transition(d.id(), BUILDING, DeploymentRun.DEPLOYING, set, ServiceChange.status("deploying"))) {
            publish(EventTypes.DEPLOYMENT_STARTED, run(exchange), s, Map.of("status", "deploying"));
        }
    }

    /** Creates the Swarm service (first deploy) or updates its image; idempotent (inspects first). */
    public void updateSwarm(Exchange exchange) {
        DeploymentRun d = run(exchange);
        Service s = service(d);
        try (BuildLog log = log(d)) {
            try {
                deployImage(s, d.image(), log);
            } catch (IOException e) {
                stopIfHubStops(exchange);
                log.step("deploy failed: " + message(e));
                exchange.getIn().setHeader(ERROR, "deploy failed: " + message(e));
            }
        }
    }

    /** Waits (up to the health timeout) for the new image to be healthy; sets header deployHealthy. */
    public void checkHealth(Exchange exchange) {
        DeploymentRun d = run(exchange);
        String error = exchange.getIn().getHeader(ERROR, String.class);
        if (error == null) {
            try (BuildLog log = log(d)) {
                error = health(service(d), d.image(), log, exchange);
            }
        }
        stopIfHubStops(exchange);
        exchange.getIn().setHeader(HEALTHY, error == null);
        exchange.getIn().setHeader(ERROR, error);
    }

    /** running: the service runs the new image; deployment_completed. */
    public void markRunning(Exchange exchange) {
        DeploymentRun d = run(exchange);
        Instant now = Instant.now();
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("deploy_finished_at", now);
        set.put("finished_at", now);
        if (runs.transition(d.id(), DEPLOYING, DeploymentRun.RUNNING, set,
                ServiceChange.finish("running", d.image()))) {
            publish(EventTypes.DEPLOYMENT_COMPLETED, run(exchange), service(d), Map.of("status", "running"));
        }
    }

    /** failed: deployment_failed; a roll back follows when there is a previous image (header deployRollBack). */
    public void markFailed(Exchange exchange) {
        DeploymentRun d = run(exchange);
        String error = exchange.getIn().getHeader(ERROR, "deploy failed", String.class);
        Instant now = Instant.now();
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("error", error);
        set.put("deploy_finished_at", now);
        boolean rollBack = d.previousImage() != null && !d.previousImage().equals(d.image());
        if (!rollBack) {
            set.put("finished_at", now);
        }
        if (runs.transition(d.id(), DEPLOYING, DeploymentRun.FAILED, set,
                rollBack ? ServiceChange.status("deploying") : ServiceChange.finish("failed", null))) {
            publish(EventTypes.DEPLOYMENT_FAILED, run(exchange), service(d), Map.of("status", "failed"));
        }
        exchange.getIn().setHeader(ROLL_BACK, rollBack);
    }

    // ---- roll back

    /** Updates the Swarm service back to the previous image and checks its health; sets header deployHealthy. */
    public void rollBack(Exchange exchange) {
        DeploymentRun d = run(exchange);
        Service s = service(d);
        runs.transition(d.id(), FAILED, DeploymentRun.FAILED, Map.of("rollback_started_at", Instant.now()), null);
        String error;
        try (BuildLog log = log(d)) {
            log.step("rolling back to " + d.previousImage());
            try {
                rollBackSwarm(s, d.previousImage(), log);
                error = health(s, d.previousImage(), log, exchange);
            } catch (IOException e) {
                error = "roll back failed: " + message(e);
                log.step(error);
            }
        }
        stopIfHubStops(exchange);
        exchange.getIn().setHeader(HEALTHY, error == null);
        exchange.getIn().setHeader(ERROR, error);
    }

    /** rolled_back: the previous image runs again; deployment_rollback. */
    public void markRolledBack(Exchange exchange) {
        DeploymentRun d = run(exchange);
        Instant now = Instant.now();
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("rollback_finished_at", now);
        set.put("finished_at", now);
        if (runs.transition(d.id(), FAILED, DeploymentRun.ROLLED_BACK, set,
                ServiceChange.finish("running", d.previousImage()))) {
            publish(EventTypes.DEPLOYMENT_ROLLBACK, run(exchange), service(d), Map.of("status", "rolled_back"));
        }
    }

    /** rollback_failed: the service is failed; deployment_rollback_failed (critical). */
    public void markRollbackFailed(Exchange exchange) {
        DeploymentRun d = run(exchange);
        Instant now = Instant.now();
        String error = d.error() + "; " + exchange.getIn().getHeader(ERROR, "roll back failed", String.class);
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("error", error);
        set.put("rollback_finished_at", now);
        set.put("finished_at", now);
        if (runs.transition(d.id(), FAILED, DeploymentRun.ROLLBACK_FAILED, set, ServiceChange.finish("failed", null))) {
            publish(EventTypes.DEPLOYMENT_ROLLBACK_FAILED, run(exchange), service(d),
                    Map.of("status", "rollback_failed", "severity", "critical"));
        }
    }

    /** Dead letter: a step failed unexpectedly (the store, a bug); the deployment ends failed with the error. */
    public void abandon(Exchange exchange) {
        if (exchange.getContext().isStopping() || exchange.getContext().isStopped()) {
            LOG.info("deployment {} left for the next start (the hub is stopping)", exchange.getIn().getBody());
            return;
        }
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String id = exchange.getIn().getBody(String.class);
        DeploymentRun d = runs.find(id).orElse(null);
        if (d == null) {
            return;
        }
        String error = "deployment stopped: " + message(cause);
        LOG.error("deployment {} stopped: {}", id, cause == null ? "unknown" : cause.toString());
        Instant now = Instant.now();
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("error", error);
        set.put("finished_at", now);
        String to = switch (d.status()) {
            case DeploymentRun.BUILDING -> DeploymentRun.BUILD_FAILED;
            case DeploymentRun.DEPLOYING -> DeploymentRun.FAILED;
            case DeploymentRun.FAILED -> DeploymentRun.ROLLBACK_FAILED;
            default -> null;
        };
        if (to != null) {
            String serviceStatus = runs.currentImage(d.serviceId()).isPresent() && to.equals(DeploymentRun.BUILD_FAILED)
                    ? "running" : "failed";
            runs.transition(id, Set.of(d.status()), to, set, ServiceChange.finish(serviceStatus, null));
        }
    }

    // ---- Swarm and health

    private void deployImage(Service s, String image, BuildLog log) throws IOException {
        String name = swarmName(s);
        var existing = docker.inspectService(name);
        if (existing.isEmpty()) {
            log.step("creating Swarm service " + name + " with " + image);
            docker.createService(newSpec(s, name, image));
            return;
        }
        JsonNode service = existing.get();
        ObjectNode spec = (ObjectNode) service.path("Spec").deepCopy();
        String current = spec.path("TaskTemplate").path("ContainerSpec").path("Image").asText("");
        if (sameImage(current, image)) {
            log.step("Swarm service " + name + " already runs " + image);
            return;
        }
        ObjectNode containerSpec = spec.with("TaskTemplate").with("ContainerSpec");
        containerSpec.put("Image", image);
        long version = service.path("Version").path("Index").asLong();
        log.step("updating Swarm service " + name + " (version " + version + ") to " + image);
        docker.updateService(service.path("ID").asText(name), version, spec);
    }

    /**
     * Puts the previous image back: Swarm's own {@code rollback=previous} when the service's PreviousSpec runs the
     * recorded previous image, else (no PreviousSpec, e.g. a service updated outside the hub, or one that runs
     * something else) an update to the recorded image. Idempotent: a service already on that image is left alone.
     */
    private void rollBackSwarm(Service s, String previousImage, BuildLog log) throws IOException {
        String name = swarmName(s);
        var existing = docker.inspectService(name);
        if (existing.isPresent()) {
            JsonNode service = existing.get();
            String current = service.path("Spec").path("TaskTemplate").path("ContainerSpec").path("Image").asText("");
            if (sameImage(current, previousImage)) {
                log.step("Swarm service " + name + " already runs " + previousImage);
                return;
            }
            String before = service.path("PreviousSpec").path("TaskTemplate").path("ContainerSpec").path("Image")
                    .asText(null);
            if (before != null && sameImage(before, previousImage)) {
                long version = service.path("Version").path("Index").asLong();
                log.step("rolling Swarm service " + name + " back to its previous spec (rollback=previous, version "
                        + version + ")");
                docker.rollbackService(service.path("ID").asText(name), version, service.path("Spec"));
                return;
            }
            log.step(before == null ? "Swarm service " + name + " has no previous spec: updating it to "
                    + previousImage : "Swarm service " + name + "'s previous spec runs " + before + ", not "
                    + previousImage + ": updating it to " + previousImage);
        }
        deployImage(s, previousImage, log);
    }

    private ObjectNode newSpec(Service s, String name, String image) {
        JsonNode deploy = buildConfig(s).path("deploy");
        ObjectNode spec = mapper.createObjectNode();
        spec.put("Name", name);
        ObjectNode labels = spec.putObject("Labels");
        deploy.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        labels.put("dev.webhookhub.service-id", s.id());
        ObjectNode container = spec.putObject("TaskTemplate").putObject("ContainerSpec");
        container.put("Image", image);
        ArrayNode env = container.putArray("Env");
        JsonNode envConfig = deploy.path("env");
        if (envConfig.isObject()) {
            envConfig.fields().forEachRemaining(e -> env.add(e.getKey() + "=" + e.getValue().asText()));
        } else if (envConfig.isArray()) {
            envConfig.forEach(v -> env.add(v.asText()));
        }
        spec.putObject("Mode").putObject("Replicated").put("Replicas", deploy.path("replicas").asInt(1));
        JsonNode ports = deploy.path("ports");
        if (ports.isArray() && !ports.isEmpty()) {
            ArrayNode out = spec.putObject("EndpointSpec").putArray("Ports");
            for (JsonNode p : ports) {
                ObjectNode port = out.addObject();
                if (p.isTextual()) {
                    String[] parts = p.asText().split("[:/]");
                    port.put("Protocol", parts.length > 2 ? parts[2] : "tcp");
                    port.put("PublishedPort", Integer.parseInt(parts[0]));
                    port.put("TargetPort", Integer.parseInt(parts.length > 1 ? parts[1] : parts[0]));
                } else {
                    port.put("Protocol", p.path("protocol").asText("tcp"));
                    port.put("TargetPort", p.path("target").asInt());
                    if (p.has("published")) {
                        port.put("PublishedPort", p.path("published").asInt());
                    }
                }
            }
        }
        return spec;
    }

    /**
     * Polls until every desired replica runs {@code image} (and the health URL answers 2xx) or the health timeout
     * passes. Returns null when healthy, else why not.
     */
    private String health(Service s, String image, BuildLog log, Exchange exchange) {
        String name = swarmName(s);
        String healthUrl = buildConfig(s).path("health_url").asText(null);
        long deadline = System.nanoTime() + settings.healthTimeout().toNanos();
        String why = "not checked";
        log.step("health check of " + image + " (up to " + settings.healthTimeout().toSeconds() + " s)");
        while (true) {
            try {
                JsonNode service = docker.inspectService(name).orElse(null);
                if (service == null) {
                    why = "Swarm service " + name + " is gone";
                } else {
                    int desired = service.path("Spec").path("Mode").path("Replicated").path("Replicas").asInt(1);
                    int running = 0;
                    String failed = null;
                    for (JsonNode t : docker.tasks(name)) {
                        if (!sameImage(t.path("Spec").path("ContainerSpec").path("Image").asText(""), image)) {
                            continue;
                        }
                        String state = t.path("Status").path("State").asText("");
                        if (state.equals("running") && t.path("DesiredState").asText("running").equals("running")) {
                            running++;
                        } else if (state.equals("failed") || state.equals("rejected")) {
                            failed = "task " + t.path("ID").asText() + " " + state + ": "
                                    + t.path("Status").path("Err").asText(t.path("Status").path("Message").asText(""));
                        }
                    }
                    if (failed != null) {
                        log.step("unhealthy: " + failed);
                        return "health check failed: " + failed;
                    }
                    if (running < desired) {
                        why = running + " of " + desired + " replicas running " + image;
                    } else if (healthUrl != null && !healthUrl.isBlank()) {
                        int status = probe(healthUrl);
                        why = status < 0 ? healthUrl + " did not answer" : healthUrl + " answered " + status;
                        if (status >= 200 && status < 300) {
                            log.step("healthy: " + desired + " replicas, " + why);
                            return null;
                        }
                    } else {
                        log.step("healthy: " + desired + " replicas running " + image);
                        return null;
                    }
                }
            } catch (IOException e) {
                why = "Docker: " + message(e);
            }
            if (exchange.getContext().isStopping() || exchange.getContext().isStopped()) {
                return "the hub is stopping";
            }
            if (System.nanoTime() > deadline) {
                log.step("unhealthy after " + settings.healthTimeout().toSeconds() + " s: " + why);
                return "health check failed after " + settings.healthTimeout().toSeconds() + " s: " + why;
            }
            try {
                Thread.sleep(settings.healthInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "health check interrupted";
            }
        }
    }

    private int probe(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | IllegalArgumentException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Swarm may pin an image to its digest (name:tag@sha256:...). */
    static boolean sameImage(String a, String b) {
        return a.replaceFirst("@sha256:.*$", "").equals(b.replaceFirst("@sha256:.*$", ""));
    }

    // ---- helpers

    /** A step cut short because the hub stops is not the deployment's failure: it is resumed at the next start. */
    private static void stopIfHubStops(Exchange exchange) {
        if (Thread.currentThread().isInterrupted() || exchange.getContext().isStopping()
                || exchange.getContext().isStopped()) {
            throw new IllegalStateException("the hub is stopping; the deployment resumes at the next start");
        }
    }

    /** The Swarm service name: the service's name in lower case, other characters as '-'. */
    public static String swarmName(Service s) {
        String n = s.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (n.isEmpty()) {
            n = "svc-" + s.id().substring(0, 8);
        }
        return n.length() > 63 ? n.substring(0, 63) : n;
    }

    private String imageRepository(Service s) {
        return (settings.registryUrl().isBlank() ? "" : settings.registryUrl() + "/") + swarmName(s);
    }

    private static String branch(DeploymentRun d, Service s) {
        return d.branch() != null ? d.branch() : s.gitBranch();
    }

    /** IMAGE, COMMIT, BRANCH for a build command, and DOCKER_HOST so it reaches the same daemon. */
    private Map<String, String> commandEnv(String image, String commit, String branch) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("IMAGE", image);
        env.put("COMMIT", commit);
        env.put("BRANCH", branch == null ? "" : branch);
        env.put("DOCKER_HOST", settings.dockerHost());
        if (settings.dockerTls()) {
            env.put("DOCKER_TLS_VERIFY", "1");
            env.put("DOCKER_CERT_PATH", settings.dockerCertPath().toString());
        }
        if (!settings.nixCacheUrl().isBlank()) {
            env.put("NIX_CACHE_URL", settings.nixCacheUrl());
        }
        return env;
    }

    private JsonNode buildConfig(Service s) {
        if (s.buildConfig() == null || s.buildConfig().isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(s.buildConfig());
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }

    private BuildLog log(DeploymentRun d) {
        return new BuildLog(runs, d.id(), settings.logCapChars(), 500);
    }

    private DeploymentRun run(Exchange exchange) {
        String id = exchange.getIn().getBody(String.class);
        return runs.find(id).orElseThrow(() -> new IllegalStateException("deployment " + id + " is gone"));
    }

    private Service service(DeploymentRun d) {
        return services.find(d.serviceId())
                .orElseThrow(() -> new IllegalStateException("service " + d.serviceId() + " is gone"));
    }

    private void publish(String type, DeploymentRun d, Service s, Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("deployment_id", d.id());
        data.put("commit", d.commitSha());
        data.put("branch", d.branch());
        data.put("commit_message", d.commitMessage());
        data.put("author", d.author());
        data.put("image", d.image());
        data.put("previous_image", d.previousImage());
        data.put("error", d.error());
        data.put("started_at", d.buildStartedAt() == null ? null : d.buildStartedAt().toString());
        data.put("finished_at", d.finishedAt() == null ? null : d.finishedAt().toString());
        data.put("url", d.compareUrl() != null ? d.compareUrl() : d.repositoryUrl());
        data.putAll(extra);
        events.publish(type, "service:" + s.id(), s.name(), s.id(), null, data);
    }

    private static String message(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
