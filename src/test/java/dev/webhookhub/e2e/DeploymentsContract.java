package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.webhookhub.events.HubEvent;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.DockerStandIn;
import dev.webhookhub.support.GitRepos;
import dev.webhookhub.support.Mailbox;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.SshGitServer;
import dev.webhookhub.support.TestHub;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployments end to end: signed pushes into the real hub, real Git repositories (JGit, file://), a stand-in Docker
 * daemon speaking the Engine API over a real socket, GreenMail for the notifications. Each test uses its own
 * services and images, so the stand-in's scripts of one test cannot touch another's.
 */
abstract class DeploymentsContract {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String REGISTRY = "registry.example.test:5000";
    static final Set<String> FINAL = Set.of("running", "build_failed", "failed", "rolled_back", "rollback_failed",
            "superseded");
    static TestHub hub;
    static DockerStandIn docker;
    static Mailbox mailbox;
    /** An ssh git server whose host key is in the hub's known_hosts (hub.git.ssh-known-hosts). */
    static SshGitServer sshGit;
    static final List<HubEvent> EVENTS = new CopyOnWriteArrayList<>();

    @TempDir
    Path tmp;

    static Map<String, String> settings() {
        docker = DockerStandIn.start();
        mailbox = Mailbox.onFreePort().start();
        Map<String, String> m = new HashMap<>();
        m.put("hub.docker.host", docker.host());
        m.put("hub.docker.registry-url", REGISTRY);
        m.put("hub.docker.registry-user", "deployer");
        m.put("hub.docker.registry-password", "registry-secret-1");
        m.put("hub.deploy.health-timeout", "3s");
        m.put("hub.deploy.health-interval", "100ms");
        m.put("hub.deploy.poll-interval-ms", "100");
        m.put("hub.deploy.max-concurrent", "2");
        m.put("hub.notify.smtp.host", "127.0.0.1");
        m.put("hub.notify.smtp.port", String.valueOf(mailbox.port()));
        m.put("hub.notify.smtp.from", "Webhook Hub <hub@example.test>");
        m.put("hub.notify.poll-interval-ms", "100");
        m.put("hub.notify.retry-schedule", "0s,300ms,300ms");
        try {
            sshGit = new SshGitServer();
            Path knownHosts = Files.createTempFile("known_hosts", "");
            knownHosts.toFile().deleteOnExit();
            Files.writeString(knownHosts, sshGit.knownHostsLine() + "\n");
            m.put("hub.git.ssh-known-hosts", knownHosts.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return m;
    }

    static void listenToEvents() throws Exception {
        hub.context().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("{{hub.events.endpoint}}").routeId("test-event-listener")
                        .process(e -> EVENTS.add(e.getIn().getBody(HubEvent.class)));
            }
        });
    }

    @AfterAll
    static void stopAll() {
        if (hub != null) {
            hub.close();
            hub = null;
        }
        docker.close();
        mailbox.close();
        try {
            sshGit.close();
        } catch (java.io.IOException e) {
            // stopping
        }
    }

    @AfterEach
    void resetScripts() {
        docker.failBuilds(t -> false);
        docker.failImages(i -> false);
        docker.failUpdatesTo(i -> false);
        docker.hidePreviousSpec(n -> false);
        docker.releaseBuilds();
    }

    // ---- helpers

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    record Svc(String id, String name, String secret, GitRepos repo) {
        String image(String sha) {
            return REGISTRY + "/" + name + ":" + sha.substring(0, 12);
        }
    }

    Svc service(String prefix, String buildConfig) {
        String name = unique(prefix);
        GitRepos repo = GitRepos.withDockerfile(tmp.resolve(name));
        HttpResponse<String> r = hub.admin("POST", "/api/containers/services", "{\"name\":\"" + name
                + "\",\"git_repository\":\"" + repo.url() + "\",\"git_branch\":\"main\""
                + (buildConfig == null ? "" : ",\"build_config\":" + buildConfig) + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = json(r).get("id").asText();
        return new Svc(id, name, hub.issueSecret(id, "github"), repo);
    }

    static void push(Svc s, String sha) throws Exception {
        ObjectNode p = (ObjectNode) TestHub.MAPPER.readTree(Files.readAllBytes(
                TestHub.samples().resolve("github/push.json")));
        p.put("ref", "refs/heads/main");
        p.put("after", sha);
        p.put("deleted", false);
        p.put("created", false);
        ObjectNode head = p.putObject("head_commit");
        head.put("id", sha);
        head.put("message", "Change " + sha.substring(0, 7));
        head.putObject("author").put("name", "Octo Cat").put("email", "octo@example.test");
        byte[] body = TestHub.MAPPER.writeValueAsBytes(p);
        Map<String, String> h = new HashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-GitHub-Event", "push");
        h.put("X-GitHub-Delivery", UUID.randomUUID().toString());
        h.put("X-Hub-Signature-256", Signatures.githubSha256(s.secret(), body));
        HttpResponse<String> r = hub.postWebhook("github", s.id(), body, h);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    static JsonNode deployments(Svc s) {
        HttpResponse<String> r = hub.admin("GET", "/api/containers/services/" + s.id() + "/deployments", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("items");
    }

    static JsonNode deploymentOf(Svc s, String sha) {
        for (JsonNode d : deployments(s)) {
            if (sha.equals(d.path("commit_sha").asText())) {
                return d;
            }
        }
        return null;
    }

    /** Waits for the deployment of {@code sha} to reach a final status; returns it. */
    static JsonNode finished(Svc s, String sha) {
        Await.until(() -> {
            JsonNode d = deploymentOf(s, sha);
            return d != null && FINAL.contains(d.get("status").asText()) && !d.get("finished_at").isNull();
        }, WAIT, "deployment of " + sha + " to finish");
        return deploymentOf(s, sha);
    }

    static JsonNode serviceJson(Svc s) {
        return json(hub.admin("GET", "/api/containers/services/" + s.id(), null));
    }

    static List<String> eventTypes(String deploymentId) {
        return EVENTS.stream().filter(e -> deploymentId.equals(e.text("deployment_id"))).map(HubEvent::type).toList();
    }

    static void awaitEvent(String deploymentId, String type) {
        Await.until(() -> eventTypes(deploymentId).contains(type), WAIT, type + " of " + deploymentId);
    }

    static void emailSetting(Svc s, String recipient, String... events) {
        HttpResponse<String> r = hub.admin("POST", "/api/notifications", "{\"service_id\":\"" + s.id()
                + "\",\"notification_type\":\"email\",\"event_triggers\":[\"" + String.join("\",\"", events)
                + "\"],\"recipients\":[\"" + recipient + "\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** Deploys the repository's first commit and waits until it runs; returns its SHA. */
    static String firstDeploy(Svc s) throws Exception {
        String sha = s.repo().head();
        push(s, sha);
        assertThat(finished(s, sha).get("status").asText()).isEqualTo("running");
        return sha;
    }

    // ---- tests

    @Test
    void signedPushIsBuiltPushedDeployedAndRunning() throws Exception {
        Svc s = service("web", "{\"deploy\":{\"replicas\":2,\"ports\":[\"8080:80\"],\"env\":{\"MODE\":\"prod\"},"
                + "\"labels\":{\"team\":\"a\"}},\"build_args\":{\"VERSION\":\"1\"}}");
        emailSetting(s, "ops-" + s.name() + "@example.test", "build_started", "deployment_completed");
        String sha1 = s.repo().head();
        push(s, sha1);
        JsonNode d1 = finished(s, sha1);
        assertThat(d1.get("status").asText()).as(d1.toString()).isEqualTo("running");
        assertThat(d1.get("image").asText()).isEqualTo(s.image(sha1));
        assertThat(d1.get("previous_image").isNull()).isTrue();
        Instant buildStart = Instant.parse(d1.get("build_started_at").asText());
        Instant buildEnd = Instant.parse(d1.get("build_finished_at").asText());
        Instant deployStart = Instant.parse(d1.get("deploy_started_at").asText());
        Instant deployEnd = Instant.parse(d1.get("deploy_finished_at").asText());
        assertThat(buildStart).isBeforeOrEqualTo(buildEnd);
        assertThat(buildEnd).isBeforeOrEqualTo(deployStart);
        assertThat(deployStart).isBeforeOrEqualTo(deployEnd);
        assertThat(serviceJson(s).get("status").asText()).isEqualTo("running");

        DockerStandIn.Build build = docker.builds.stream().filter(b -> b.tag().equals(s.image(sha1))).findFirst()
                .orElseThrow();
        assertThat(build.files()).contains("Dockerfile", "app.txt", ".dockerignore")
                .doesNotContain("secrets.txt", "tmp/cache.bin").noneMatch(f -> f.startsWith(".git/"));
        assertThat(build.query().get("buildargs")).isEqualTo("{\"VERSION\":\"1\"}");
        DockerStandIn.Push pushed = docker.pushes.stream().filter(p -> p.image().equals(s.image(sha1))).findFirst()
                .orElseThrow();
        assertThat(pushed.auth().get("username").asText()).isEqualTo("deployer");
        assertThat(pushed.auth().get("password").asText()).isEqualTo("registry-secret-1");
        assertThat(pushed.auth().get("serveraddress").asText()).isEqualTo(REGISTRY);
        JsonNode spec = docker.creates.stream().filter(c -> c.get("Name").asText().equals(s.name())).findFirst()
                .orElseThrow();
        assertThat(spec.at("/TaskTemplate/ContainerSpec/Image").asText()).isEqualTo(s.image(sha1));
        assertThat(spec.at("/Mode/Replicated/Replicas").asInt()).isEqualTo(2);
        assertThat(spec.at("/EndpointSpec/Ports/0/PublishedPort").asInt()).isEqualTo(8080);
        assertThat(spec.at("/EndpointSpec/Ports/0/TargetPort").asInt()).isEqualTo(80);
        assertThat(spec.at("/TaskTemplate/ContainerSpec/Env/0").asText()).isEqualTo("MODE=prod");
        assertThat(spec.at("/Labels/team").asText()).isEqualTo("a");

        String id1 = d1.get("id").asText();
        awaitEvent(id1, "deployment_completed");
        assertThat(eventTypes(id1)).containsSubsequence("build_started", "build_completed", "deployment_started",
                "deployment_completed");
        mailbox.await("Deployment Completed: " + s.name(), 1, WAIT);
        mailbox.await("Build Started: " + s.name(), 1, WAIT);

        HttpResponse<String> logs = hub.admin("GET", "/api/containers/services/" + s.id() + "/deployments/" + id1
                + "/logs", null);
        assertThat(logs.statusCode()).isEqualTo(200);
        assertThat(logs.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(logs.body()).contains("Step 1/2 : FROM alpine:3.20", "Successfully tagged " + s.image(sha1),
                "healthy");
        assertThat(logs.body()).doesNotContain("registry-secret-1");

        // the second push updates the Swarm service at its version, and records what it replaced
        long version = docker.serviceVersion(s.name());
        String sha2 = s.repo().commit("second", Map.of("app.txt", "version 2\n"));
        push(s, sha2);
        JsonNode d2 = finished(s, sha2);
        assertThat(d2.get("status").asText()).as(d2.toString()).isEqualTo("running");
        assertThat(d2.get("previous_image").asText()).isEqualTo(s.image(sha1));
        assertThat(docker.updatesOf(s.name())).extracting(DockerStandIn.Update::version, DockerStandIn.Update::image)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(version, s.image(sha2)));
        assertThat(docker.serviceImage(s.name())).isEqualTo(s.image(sha2));

        HttpResponse<String> one = hub.admin("GET", "/api/containers/services/" + s.id() + "/deployments/"
                + d2.get("id").asText(), null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).get("image").asText()).isEqualTo(s.image(sha2));
    }

    @Test
    void failedBuildLeavesTheRunningVersionAlone() throws Exception {
        Svc s = service("bf", null);
        String sha1 = firstDeploy(s);
        String sha2 = s.repo().commit("broken", Map.of("app.txt", "broken\n"));
        docker.failBuilds(tag -> tag.equals(s.image(sha2)));
        push(s, sha2);
        JsonNode d2 = finished(s, sha2);
        assertThat(d2.get("status").asText()).isEqualTo("build_failed");
        assertThat(d2.get("error").asText()).contains("returned a non-zero code: 2");
        assertThat(d2.get("deploy_started_at").isNull()).isTrue();
        assertThat(serviceJson(s).get("status").asText()).isEqualTo("running");
        assertThat(docker.serviceImage(s.name())).isEqualTo(s.image(sha1));
        assertThat(docker.updatesOf(s.name())).isEmpty();
        awaitEvent(d2.get("id").asText(), "build_failed");
        assertThat(eventTypes(d2.get("id").asText())).doesNotContain("deployment_started");

        // a service whose first build fails never ran: it is failed
        Svc never = service("bf-first", null);
        docker.failBuilds(tag -> tag.startsWith(REGISTRY + "/" + never.name() + ":"));
        push(never, never.repo().head());
        assertThat(finished(never, never.repo().head()).get("status").asText()).isEqualTo("build_failed");
        assertThat(serviceJson(never).get("status").asText()).isEqualTo("failed");
    }

    @Test
    void unhealthyDeployIsRolledBack() throws Exception {
        Svc s = service("rb", null);
        String sha1 = firstDeploy(s);
        try (Receiver slack = Receiver.always(200); Receiver teams = Receiver.always(200)) {
            chatSetting(s, "slack", slack.url(), "deployment_failed", "deployment_rollback");
            chatSetting(s, "teams", teams.url(), "deployment_rollback");
            rollBack(s, sha1);
            // the failure and the roll-back reach Slack, the roll-back reaches Teams
            Await.until(() -> slack.requests().size() == 2 && teams.requests().size() == 1, WAIT,
                    "the Slack and Teams messages");
            List<String> slackTexts = slack.requests().stream()
                    .map(r -> new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).toList();
            assertThat(slackTexts).allMatch(t -> t.contains(s.name()));
            assertThat(slackTexts).anyMatch(t -> t.contains("Rollback") || t.contains("Rolled back"));
            assertThat(new String(teams.requests().get(0).body(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains(s.name());
        }
    }

    @Test
    void serviceWithoutPreviousSpecIsRolledBackByAnUpdateToTheRecordedImage() throws Exception {
        Svc s = service("rbu", null);
        String old = REGISTRY + "/" + s.name() + ":before-the-hub";
        // deployed outside the hub; the daemon shows no PreviousSpec for it
        docker.existingService(s.name(), old, 1);
        docker.hidePreviousSpec(s.name()::equals);
        String sha = s.repo().head();
        docker.failImages(image -> image.equals(s.image(sha)));
        push(s, sha);
        JsonNode d = finished(s, sha);
        assertThat(d.get("status").asText()).as(d.toString()).isEqualTo("rolled_back");
        assertThat(d.get("previous_image").asText()).isEqualTo(old);
        assertThat(docker.serviceImage(s.name())).isEqualTo(old);
        assertThat(docker.updatesOf(s.name())).extracting(DockerStandIn.Update::image)
                .containsExactly(s.image(sha), old);
        assertThat(docker.rollbacksOf(s.name())).isEmpty();
        assertThat(hub.admin("GET", "/api/containers/services/" + s.id() + "/deployments/" + d.get("id").asText()
                + "/logs", null).body()).contains("has no previous spec: updating it to " + old);
        assertThat(serviceJson(s).get("status").asText()).isEqualTo("running");
    }

    static void chatSetting(Svc s, String type, String url, String... events) {
        HttpResponse<String> r = hub.admin("POST", "/api/notifications", "{\"service_id\":\"" + s.id()
                + "\",\"notification_type\":\"" + type + "\",\"event_triggers\":[\"" + String.join("\",\"", events)
                + "\"],\"recipients\":[\"" + url + "\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static void rollBack(Svc s, String sha1) throws Exception {
        String sha2 = s.repo().commit("crashes", Map.of("app.txt", "crash\n"));
        docker.failImages(image -> image.equals(s.image(sha2)));
        push(s, sha2);
        JsonNode d2 = finished(s, sha2);
        assertThat(d2.get("status").asText()).as(d2.toString()).isEqualTo("rolled_back");
        assertThat(d2.get("error").asText()).contains("failed");
        assertThat(d2.get("previous_image").asText()).isEqualTo(s.image(sha1));
        assertThat(d2.get("rollback_started_at").isNull()).isFalse();
        assertThat(d2.get("rollback_finished_at").isNull()).isFalse();
        assertThat(serviceJson(s).get("status").asText()).isEqualTo("running");
        assertThat(docker.serviceImage(s.name())).isEqualTo(s.image(sha1));
        assertThat(docker.updatesOf(s.name())).extracting(DockerStandIn.Update::image)
                .containsExactly(s.image(sha2), s.image(sha1));
        // the service had a previous spec (the first deploy's): Swarm's own rollback put it back
        assertThat(docker.rollbacksOf(s.name())).extracting(DockerStandIn.Update::image)
                .containsExactly(s.image(sha1));
        String id = d2.get("id").asText();
        awaitEvent(id, "deployment_rollback");
        assertThat(eventTypes(id)).containsSubsequence("deployment_started", "deployment_failed",
                "deployment_rollback");
    }

    @Test
    void failedRollBackLeavesTheServiceFailedWithACriticalNotification() throws Exception {
        Svc s = service("rbf", null);
        String sha1 = firstDeploy(s);
        emailSetting(s, "oncall-" + s.name() + "@example.test", "deployment_rollback_failed");
        String sha2 = s.repo().commit("crashes", Map.of("app.txt", "crash\n"));
        docker.failImages(image -> image.equals(s.image(sha2)));
        docker.failUpdatesTo(image -> image.equals(s.image(sha1)));
        push(s, sha2);
        JsonNode d2 = finished(s, sha2);
        assertThat(d2.get("status").asText()).as(d2.toString()).isEqualTo("rollback_failed");
        assertThat(d2.get("error").asText()).contains("roll back failed");
        assertThat(serviceJson(s).get("status").asText()).isEqualTo("failed");
        String id = d2.get("id").asText();
        awaitEvent(id, "deployment_rollback_failed");
        HubEvent critical = EVENTS.stream().filter(e -> id.equals(e.text("deployment_id"))
                && e.type().equals("deployment_rollback_failed")).findFirst().orElseThrow();
        assertThat(critical.text("severity")).isEqualTo("critical");
        mailbox.await("Deployment Rollback Failed: " + s.name(), 1, WAIT);

        // a first deploy that is not healthy has nothing to roll back to: failed
        Svc first = service("first-bad", null);
        docker.failImages(image -> image.startsWith(REGISTRY + "/" + first.name() + ":"));
        push(first, first.repo().head());
        JsonNode f = finished(first, first.repo().head());
        assertThat(f.get("status").asText()).isEqualTo("failed");
        assertThat(f.get("rollback_started_at").isNull()).isTrue();
        assertThat(serviceJson(first).get("status").asText()).isEqualTo("failed");
    }

    @Test
    void healthUrlMustAnswer2xx() throws Exception {
        AtomicInteger answer = new AtomicInteger(503);
        AtomicInteger calls = new AtomicInteger();
        List<String> upgrades = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/healthz", ex -> {
            calls.incrementAndGet();
            if (ex.getRequestHeaders().containsKey("Upgrade")) {
                upgrades.add(ex.getRequestHeaders().getFirst("Upgrade"));
            }
            ex.sendResponseHeaders(answer.get(), -1);
            ex.close();
        });
        app.start();
        try {
            String url = "http://127.0.0.1:" + app.getAddress().getPort() + "/healthz";
            Svc s = service("hu", "{\"health_url\":\"" + url + "\"}");
            push(s, s.repo().head());
            JsonNode bad = finished(s, s.repo().head());
            assertThat(bad.get("status").asText()).isEqualTo("failed");
            assertThat(bad.get("error").asText()).contains("answered 503");
            assertThat(calls.get()).isGreaterThan(1);

            answer.set(204);
            String sha2 = s.repo().commit("fixed", Map.of("app.txt", "ok\n"));
            push(s, sha2);
            assertThat(finished(s, sha2).get("status").asText()).isEqualTo("running");
            assertThat(upgrades).as("probes are plain HTTP/1.1, no h2c upgrade").isEmpty();
        } finally {
            app.stop(0);
        }
    }

    @Test
    void quickPushesWhileOneBuildsSupersedeTheMiddleOne() throws Exception {
        Svc s = service("sup", null);
        String sha1 = s.repo().head();
        docker.blockBuilds(tag -> tag.equals(s.image(sha1)));
        push(s, sha1);
        Await.until(() -> docker.blockedBuilds() == 1, WAIT, "the first build to start");
        JsonNode building = deploymentOf(s, sha1);
        assertThat(building.get("status").asText()).isEqualTo("building");
        assertThat(serviceJson(s).get("status").asText()).isEqualTo("building");
        // the log is readable while the build runs
        String logPath = "/api/containers/services/" + s.id() + "/deployments/" + building.get("id").asText()
                + "/logs";
        Await.until(() -> hub.admin("GET", logPath, null).body().contains("Step 1/2"), WAIT, "the live log");
        // ?follow=true streams it: the lines so far arrive while the build still runs, the rest as it comes
        assertThat(hub.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.url(logPath
                + "?follow=true")))).statusCode()).isEqualTo(401);
        HttpResponse<java.util.stream.Stream<String>> follow = TestHub.httpClient().build().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.url(logPath + "?follow=true")))
                        .header("Authorization", "Bearer " + hub.token()).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(follow.statusCode()).isEqualTo(200);
        java.util.Iterator<String> followed = follow.body().iterator();
        String line;
        do {
            line = followed.next();
        } while (!line.contains("Step 1/2"));
        assertThat(docker.blockedBuilds()).isEqualTo(1);
        // mid-deploy: manual deploys are refused
        HttpResponse<String> busy = hub.admin("POST", "/api/containers/services/" + s.id() + "/deploy", "{}");
        assertThat(busy.statusCode()).as(busy.body()).isEqualTo(409);
        assertThat(json(busy).get("code").asText()).isEqualTo("deployment_in_progress");

        String sha2 = s.repo().commit("two", Map.of("app.txt", "2\n"));
        push(s, sha2);
        Await.until(() -> deploymentOf(s, sha2) != null, WAIT, "the second deployment");
        String sha3 = s.repo().commit("three", Map.of("app.txt", "3\n"));
        push(s, sha3);
        assertThat(finished(s, sha2).get("status").asText()).isEqualTo("superseded");
        docker.releaseBuilds();
        assertThat(finished(s, sha1).get("status").asText()).isEqualTo("running");
        StringBuilder rest = new StringBuilder();
        followed.forEachRemaining(l -> rest.append(l).append('\n'));
        assertThat(rest.toString()).contains("Successfully tagged " + s.image(sha1), "healthy");
        assertThat(finished(s, sha3).get("status").asText()).isEqualTo("running");
        assertThat(docker.builds).noneMatch(b -> b.tag().equals(s.image(sha2)));
        assertThat(docker.serviceImage(s.name())).isEqualTo(s.image(sha3));
    }

    @Test
    void twoServicesDeployAtOnce() throws Exception {
        Svc a = service("par-a", null);
        Svc b = service("par-b", null);
        docker.blockBuilds(tag -> tag.startsWith(REGISTRY + "/" + a.name() + ":")
                || tag.startsWith(REGISTRY + "/" + b.name() + ":"));
        push(a, a.repo().head());
        push(b, b.repo().head());
        Await.until(() -> docker.blockedBuilds() == 2, WAIT, "both builds running at once");
        docker.releaseBuilds();
        assertThat(finished(a, a.repo().head()).get("status").asText()).isEqualTo("running");
        assertThat(finished(b, b.repo().head()).get("status").asText()).isEqualTo("running");
    }

    @Test
    void manualDeployRedeployAndRollback() throws Exception {
        Svc s = service("man", "{\"git_token\":\"tok-secret-123\"}");
        String base = "/api/containers/services/" + s.id();
        // the clone token is never shown back
        assertThat(hub.admin("GET", base, null).body()).doesNotContain("tok-secret-123").contains("********");
        // sent back masked (a read-modify-write of the service), the stored token stays
        HttpResponse<String> put = hub.admin("PUT", base, "{\"build_config\":{\"git_token\":\"********\"}}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        try (java.sql.Connection c = hub.dataSource().getConnection();
                java.sql.PreparedStatement ps = c.prepareStatement("SELECT build_config FROM services WHERE id = ?")) {
            ps.setString(1, s.id());
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).contains("tok-secret-123");
            }
        }
        String sha1 = s.repo().head();
        String sha2 = s.repo().commit("two", Map.of("app.txt", "2\n"));

        // deploy a commit by its SHA (not the branch head)
        HttpResponse<String> r = hub.admin("POST", base + "/deploy", "{\"commit\":\"" + sha1 + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode manual = finished(s, sha1);
        assertThat(manual.get("status").asText()).as(manual.toString()).isEqualTo("running");
        // deploy the branch head
        r = hub.admin("POST", base + "/deploy", "{\"branch\":\"main\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String branchDeploy = json(r).get("id").asText();
        Await.until(() -> "running".equals(json(hub.admin("GET", base + "/deployments/" + branchDeploy, null))
                .get("status").asText()), WAIT, "the branch deploy");
        assertThat(json(hub.admin("GET", base + "/deployments/" + branchDeploy, null)).get("commit_sha").asText())
                .isEqualTo(sha2);
        assertThat(docker.serviceImage(s.name())).isEqualTo(s.image(sha2));

        // roll back to the last healthy image before the current one
        r = hub.admin("POST", base + "/rollback", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String rollback = json(r).get("id").asText();
        Await.until(() -> "running".equals(json(hub.admin("GET", base + "/deployments/" + rollback, null))
                .get("status").asText()), WAIT, "the roll back");
        assertThat(docker.serviceImage(s.name())).isEqualTo(s.image(sha1));
        int buildsBefore = docker.builds.size();

        // redeploy the branch deploy: its commit again
        r = hub.admin("POST", base + "/deployments/" + branchDeploy + "/redeploy", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String redeploy = json(r).get("id").asText();
        Await.until(() -> "running".equals(json(hub.admin("GET", base + "/deployments/" + redeploy, null))
                .get("status").asText()), WAIT, "the redeploy");
        assertThat(docker.serviceImage(s.name())).isEqualTo(s.image(sha2));
        assertThat(docker.builds.size()).isGreaterThan(buildsBefore);

        // cursor paging: next_before of one page starts the next one
        JsonNode page1 = json(hub.admin("GET", base + "/deployments?limit=2", null));
        assertThat(page1.get("total").asInt()).isEqualTo(4);
        JsonNode page2 = json(hub.admin("GET", base + "/deployments?limit=2&before="
                + page1.get("next_before").asText(), null));
        assertThat(page2.get("items")).hasSize(2);
        java.util.Set<String> ids = new java.util.HashSet<>();
        page1.get("items").forEach(i -> ids.add(i.get("id").asText()));
        page2.get("items").forEach(i -> ids.add(i.get("id").asText()));
        assertThat(ids).hasSize(4);
        assertThat(hub.admin("GET", base + "/deployments?before=%25%25", null).statusCode()).isEqualTo(400);

        // bad input and unknown ids
        assertThat(hub.admin("POST", base + "/deploy", "{\"commit\":\"not-a-sha\"}").statusCode()).isEqualTo(400);
        assertThat(hub.admin("POST", base + "/deploy", "{\"branch\":\"a b\"}").statusCode()).isEqualTo(400);
        assertThat(hub.admin("POST", "/api/containers/services/nope/deploy", "{}").statusCode()).isEqualTo(404);
        assertThat(hub.admin("GET", base + "/deployments/nope", null).statusCode()).isEqualTo(404);
        assertThat(hub.admin("GET", base + "/deployments/nope/logs", null).statusCode()).isEqualTo(404);
        assertThat(hub.admin("POST", base + "/deployments/nope/redeploy", null).statusCode()).isEqualTo(404);
        HttpResponse<String> noAuth = hub.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(hub.url(base + "/rollback"))).POST(java.net.http.HttpRequest.BodyPublishers
                        .noBody()));
        assertThat(noAuth.statusCode()).isEqualTo(401);
    }

    @Test
    void anSshRepositoryIsClonedWithTheServicesKeyWhichIsNeverShownOrLogged() throws Exception {
        java.security.KeyPair key = SshGitServer.newKeyPair();
        String pem = SshGitServer.openSshPrivateKey(key);
        String keyMatter = pem.split("\n")[1];
        String name = unique("ssh");
        GitRepos repo = GitRepos.withDockerfile(tmp.resolve(name));
        sshGit.allow(key.getPublic()).serve(name + ".git", tmp.resolve(name));
        try (dev.webhookhub.support.LogCapture log = dev.webhookhub.support.LogCapture.start(
                org.apache.logging.log4j.Level.INFO)) {
            ObjectNode body = TestHub.MAPPER.createObjectNode().put("name", name)
                    .put("git_repository", sshGit.url(name + ".git")).put("git_branch", "main");
            body.putObject("build_config").put("git_ssh_key", pem);
            HttpResponse<String> r = hub.admin("POST", "/api/containers/services", body.toString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            assertThat(r.body()).doesNotContain(keyMatter);
            assertThat(json(r).at("/build_config/git_ssh_key").asText()).isEqualTo("********");
            String id = json(r).get("id").asText();
            Svc s = new Svc(id, name, hub.issueSecret(id, "github"), repo);

            String sha = repo.head();
            push(s, sha);
            JsonNode d = finished(s, sha);
            assertThat(d.get("status").asText()).as(d.toString()).isEqualTo("running");
            assertThat(d.get("image").asText()).isEqualTo(s.image(sha));
            assertThat(sshGit.commands).contains("git-upload-pack '/" + name + ".git'");

            // sent back masked (read-modify-write), the stored key stays
            String base = "/api/containers/services/" + id;
            HttpResponse<String> put = hub.admin("PUT", base, "{\"build_config\":{\"git_ssh_key\":\"********\"}}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            try (java.sql.Connection c = hub.dataSource().getConnection();
                    java.sql.PreparedStatement ps = c.prepareStatement("SELECT build_config FROM services WHERE id = ?")) {
                ps.setString(1, id);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).contains(keyMatter);
                }
            }
            assertThat(hub.admin("GET", base, null).body()).doesNotContain(keyMatter).contains("********");
            assertThat(hub.admin("GET", base + "/deployments", null).body()).doesNotContain(keyMatter);
            assertThat(hub.admin("GET", base + "/deployments/" + d.get("id").asText() + "/logs", null).body())
                    .contains("checking out " + sha).doesNotContain(keyMatter);
            assertThat(log.all()).doesNotContain(keyMatter);
        } finally {
            repo.close();
        }
    }
}
