package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.support.FakeJenkins;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pipeline runs end to end over real sockets: the real hub (routes/, config/) polling a real HTTP server that serves
 * Jenkins-shaped JSON every second, the Jenkins and FoundriesFactory webhooks, CI events through the Git receivers,
 * and the listing API. Subclasses choose the store (H2 or PostgreSQL).
 */
abstract class PipelineRunsContract {

    static final String JENKINS_TOKEN = "jenkins-hook-token";
    static final String FOUNDRIES_SECRET = "secret_value";

    protected static TestHub hub;
    protected static FakeJenkins jenkins;

    /** Settings every subclass starts its hub with: a 1 s poll against {@link #jenkins}. */
    static Map<String, String> pipelineSettings() {
        jenkins = new FakeJenkins();
        Map<String, String> s = new HashMap<>();
        s.put("hub.jenkins.url", jenkins.url());
        s.put("hub.jenkins.user", "hub-bot");
        s.put("hub.jenkins.api-token", "11aa22bb");
        s.put("hub.jenkins.poll-interval-seconds", "1");
        s.put("hub.jenkins.timeout-ms", "2000");
        s.put("hub.jenkins.sync-timeout-ms", "6000");
        s.put("hub.jenkins.webhook-token", JENKINS_TOKEN);
        s.put("hub.pipelines.default-trigger-user", "ci-default");
        s.put("hub.foundries.secrets.default", FOUNDRIES_SECRET);
        s.put("hub.foundries.secrets.acme", "acme-secret");
        return s;
    }

    @AfterEach
    void jenkinsHealthy() {
        jenkins.healthy();
    }

    @AfterAll
    static void stopAll() {
        if (hub != null) {
            hub.close();
            hub = null;
        }
        if (jenkins != null) {
            jenkins.close();
            jenkins = null;
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    static JsonNode runs(String query) {
        HttpResponse<String> r = hub.admin("GET", "/api/pipeline-runs" + query, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    static JsonNode runsOfJob(String job) {
        return runs("?job=" + URLEncoder.encode(job, StandardCharsets.UTF_8) + "&limit=1000");
    }

    static JsonNode await(String job, Predicate<JsonNode> condition, int seconds) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(seconds);
        JsonNode page = runsOfJob(job);
        while (!condition.test(page) && Instant.now().isBefore(end)) {
            Thread.sleep(100);
            page = runsOfJob(job);
        }
        assertThat(condition.test(page)).as("runs of " + job + ": " + page).isTrue();
        return page;
    }

    static JsonNode run(JsonNode page, String number) {
        for (JsonNode i : page.get("items")) {
            if (i.get("number").asText().equals(number)) {
                return i;
            }
        }
        throw new AssertionError("no run " + number + " in " + page);
    }

    static HttpResponse<String> postJenkins(String query, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url("/api/webhooks/jenkins" + query)))
                .header("Content-Type", "application/json;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return hub.send(b);
    }

    static HttpResponse<String> postJenkins(String body) {
        return postJenkins("?token=" + JENKINS_TOKEN, body, Map.of());
    }

    static String productDocBuild(String job, int number, String status, long timestamp, long duration) {
        return "{\"build\":{\"full_url\":\"http://jenkins:8080/job/" + job + "/" + number + "/\",\"number\":" + number
                + ",\"status\":\"" + status + "\",\"timestamp\":" + timestamp + ",\"duration\":" + duration + "}}";
    }

    static String notification(String job, int number, String phase, String status, String branch) throws Exception {
        ObjectNode n = (ObjectNode) TestHub.MAPPER.readTree(
                Files.readAllBytes(TestHub.samples().resolve("jenkins/notification.build_completed.json")));
        n.put("name", job);
        n.put("url", "job/" + job + "/");
        ObjectNode b = (ObjectNode) n.get("build");
        b.put("full_url", "http://localhost:8080/job/" + job + "/" + number + "/");
        b.put("number", number);
        b.put("phase", phase);
        if (status == null) {
            b.remove("status");
        } else {
            b.put("status", status);
        }
        ((ObjectNode) b.get("scm")).put("branch", branch);
        b.put("url", "job/" + job + "/" + number + "/");
        return n.toString();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Object> deliveryRow(String id) throws Exception {
        try (java.sql.Connection c = hub.dataSource().getConnection();
                java.sql.PreparedStatement ps = c.prepareStatement(
                        "SELECT provider, status, response_code, event_type FROM webhook_deliveries WHERE id = ?")) {
            ps.setString(1, id);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("delivery row " + id).isTrue();
                Map<String, Object> row = new HashMap<>();
                for (String column : new String[] { "provider", "status", "response_code", "event_type" }) {
                    row.put(column, rs.getObject(column));
                }
                return row;
            }
        }
    }

    static void awaitDeliveryStatus(String id, String status) throws Exception {
        Instant end = Instant.now().plusSeconds(15);
        while (!status.equals(deliveryRow(id).get("status")) && Instant.now().isBefore(end)) {
            Thread.sleep(50);
        }
        assertThat(deliveryRow(id).get("status")).isEqualTo(status);
    }

    static JsonNode health() {
        return json(hub.admin("GET", "/observe/health", null));
    }

    static boolean jenkinsDown(JsonNode health) {
        for (JsonNode c : health.path("checks")) {
            if ("jenkins".equals(c.path("name").asText()) && "DOWN".equals(c.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    static void awaitHealth(boolean down, int seconds) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(seconds);
        while (jenkinsDown(health()) != down && Instant.now().isBefore(end)) {
            Thread.sleep(100);
        }
        assertThat(jenkinsDown(health())).as(health().toString()).isEqualTo(down);
    }

    static HttpResponse<String> syncNow() {
        return hub.admin("POST", "/api/jenkins/sync-now", null);
    }

    // ---- the Jenkins poller -------------------------------------------------------------------------------------

    @Test
    void newJenkinsBuildsAppearWithinOnePollIntervalAndARunningBuildUpdatesWhenItFinishes() throws Exception {
        String job = "poll-" + UUID.randomUUID().toString().substring(0, 8);
        ArrayNode builds = FakeJenkins.sampleBuilds(jenkins.jobUrl("", job));
        long started = System.currentTimeMillis() - 5000;
        builds.insert(0, FakeJenkins.runningBuild(jenkins.jobUrl("", job), 6, started));
        Instant before = Instant.now();
        jenkins.job("", job, builds);

        JsonNode page = await(job, p -> p.get("total").asInt() == 6, 3);
        assertThat(java.time.Duration.between(before, Instant.now()).toMillis()).isLessThan(3000);
        JsonNode running = run(page, "6");
        assertThat(running.get("status").asText()).isEqualTo("running");
        assertThat(running.get("source").asText()).isEqualTo("jenkins");
        assertThat(running.get("duration_ms").isNull()).isTrue();
        assertThat(running.get("started_at").asText()).isEqualTo(Instant.ofEpochMilli(started).toString());
        assertThat(running.get("triggered_by").asText()).isEqualTo("ci-default");
        JsonNode five = run(page, "5");
        assertThat(five.get("status").asText()).isEqualTo("success");
        assertThat(five.get("raw_status").asText()).isEqualTo("SUCCESS");
        assertThat(five.get("duration_ms").asLong()).isEqualTo(5017);
        assertThat(five.get("started_at").asText()).isEqualTo(Instant.ofEpochMilli(1476801392270L).toString());
        assertThat(five.get("triggered_by").asText()).isEqualTo("admin");
        assertThat(five.get("url").asText()).isEqualTo(jenkins.jobUrl("", job) + "5/");
        assertThat(run(page, "4").get("status").asText()).isEqualTo("failure");
        // newest first
        assertThat(page.get("items").get(0).get("number").asText()).isEqualTo("6");
        assertThat(page.get("items").get(1).get("number").asText()).isEqualTo("5");

        ObjectNode finished = (ObjectNode) builds.get(0);
        finished.put("building", false);
        finished.put("result", "UNSTABLE");
        finished.put("duration", 4321);
        page = await(job, p -> "unstable".equals(run(p, "6").get("status").asText()), 3);
        assertThat(run(page, "6").get("duration_ms").asLong()).isEqualTo(4321);
        assertThat(page.get("total").asInt()).isEqualTo(6);

        assertThat(jenkins.requests()).anySatisfy(r -> assertThat(r)
                .startsWith("/api/json?tree=" + URLEncoder.encode("jobs[name,url,builds[number,result,building,",
                        StandardCharsets.UTF_8))
                .contains(URLEncoder.encode("]{0,20}]", StandardCharsets.UTF_8))
                .endsWith("auth=" + basic("hub-bot", "11aa22bb")));
    }

    @Test
    void foldersAndMultibranchProjectsAreFollowed() throws Exception {
        String team = "team-" + UUID.randomUUID().toString().substring(0, 8);
        jenkins.folder("", team, "com.cloudbees.hudson.plugins.folder.Folder");
        jenkins.folder(team, "shop", "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject");
        jenkins.job(team + "/shop", "main", FakeJenkins.sampleBuilds(jenkins.jobUrl(team + "/shop", "main")));

        // three folder levels are followed (JENKINS_FOLDER_DEPTH 3), a fourth is not
        jenkins.folder(team, "a", "com.cloudbees.hudson.plugins.folder.Folder");
        jenkins.folder(team + "/a", "b", "jenkins.branch.OrganizationFolder");
        jenkins.job(team + "/a/b", "deep", FakeJenkins.sampleBuilds(jenkins.jobUrl(team + "/a/b", "deep")));
        jenkins.folder(team + "/a/b", "c", "com.cloudbees.hudson.plugins.folder.Folder");
        jenkins.job(team + "/a/b/c", "too-deep", FakeJenkins.sampleBuilds(jenkins.jobUrl(team + "/a/b/c",
                "too-deep")));

        JsonNode page = await(team + "/shop/main", p -> p.get("total").asInt() == 5, 5);
        assertThat(run(page, "5").get("url").asText()).contains("/job/" + team + "/job/shop/job/main/5/");
        assertThat(runsOfJob(team).get("total").asInt()).isZero();
        await(team + "/a/b/deep", p -> p.get("total").asInt() == 5, 5);
        Thread.sleep(1500);
        assertThat(runsOfJob(team + "/a/b/c/too-deep").get("total").asInt()).isZero();
        assertThat(jenkins.requests()).noneMatch(r -> r.startsWith("/job/" + team + "/job/a/job/b/job/c/"));
    }

    @Test
    void syncNowAnswersWithCountsAndJenkinsDownThenUpIsSurvived() throws Exception {
        HttpResponse<String> r = syncNow();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode counts = json(r);
        assertThat(counts.has("new") && counts.has("updated") && counts.has("unchanged")).isTrue();
        assertThat(counts.get("durationMs").asLong()).isNotNegative();
        assertThat(health().get("status").asText()).isEqualTo("UP");

        jenkins.down();
        try {
            HttpResponse<String> down = syncNow();
            GitWebhookFlowContract.assertJsonError(down, 503, "jenkins_unavailable");
            awaitHealth(true, 5);
            String job = "after-outage-" + UUID.randomUUID().toString().substring(0, 8);
            jenkins.job("", job, FakeJenkins.sampleBuilds(jenkins.jobUrl("", job)));
            Thread.sleep(1500);
            assertThat(runsOfJob(job).get("total").asInt()).isZero();
            assertThat(hub.context().getRouteController().getRouteStatus("jenkins-poller"))
                    .isEqualTo(ServiceStatus.Started);

            jenkins.up();
            await(job, p -> p.get("total").asInt() == 5, 5);
            awaitHealth(false, 5);
        } finally {
            jenkins.up();
        }
        String job2 = "sync-now-" + UUID.randomUUID().toString().substring(0, 8);
        jenkins.job("", job2, FakeJenkins.sampleBuilds(jenkins.jobUrl("", job2)));
        HttpResponse<String> again = syncNow();
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(runsOfJob(job2).get("total").asInt()).isEqualTo(5);
    }

    @Test
    void aSlowJenkinsIsNeverPolledTwiceAtOnceAndTimesOut() throws Exception {
        // slower than the 1 s interval but within the 2 s timeout: passes succeed, one at a time
        jenkins.slow(1500);
        jenkins.resetMaxInFlight();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<HttpResponse<String>> a = pool.submit(PipelineRunsContract::syncNow);
            Future<HttpResponse<String>> b = pool.submit(PipelineRunsContract::syncNow);
            assertThat(a.get().statusCode()).as(a.get().body()).isEqualTo(200);
            assertThat(b.get().statusCode()).as(b.get().body()).isEqualTo(200);
        } finally {
            pool.shutdown();
        }
        Thread.sleep(3000);
        assertThat(jenkins.maxInFlight()).isEqualTo(1);

        // slower than the timeout: each pass gives up, the hub reports Jenkins down and keeps answering
        jenkins.slow(4000);
        long start = System.nanoTime();
        HttpResponse<String> r = syncNow();
        GitWebhookFlowContract.assertJsonError(r, 503, "jenkins_unavailable");
        assertThat(json(r).get("error").asText()).contains("did not answer within");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(9000);
        awaitHealth(true, 6);
        assertThat(runs("?limit=1").get("total").asLong()).isNotNegative();

        jenkins.healthy();
        awaitHealth(false, 15);
    }

    @Test
    void malformedJsonFromJenkinsFailsTheTickOnly() throws Exception {
        jenkins.garbage("<html><body>Please sign in</body></html>");
        HttpResponse<String> r = syncNow();
        GitWebhookFlowContract.assertJsonError(r, 503, "jenkins_unavailable");
        awaitHealth(true, 5);

        jenkins.garbage("{\"_class\":\"hudson.model.Hudson\",\"jobs\":[{\"name\":\"x\",\"builds\":[{\"number\":");
        GitWebhookFlowContract.assertJsonError(syncNow(), 503, "jenkins_unavailable");

        jenkins.healthy();
        jenkins.failWith(503);
        GitWebhookFlowContract.assertJsonError(syncNow(), 503, "jenkins_unavailable");
        jenkins.healthy();

        assertThat(hub.context().getRouteController().getRouteStatus("jenkins-poller"))
                .isEqualTo(ServiceStatus.Started);
        String job = "after-garbage-" + UUID.randomUUID().toString().substring(0, 8);
        jenkins.job("", job, FakeJenkins.sampleBuilds(jenkins.jobUrl("", job)));
        await(job, p -> p.get("total").asInt() == 5, 5);
        awaitHealth(false, 5);
    }

    // ---- the Jenkins webhook ------------------------------------------------------------------------------------

    @Test
    void productDocumentFormatMakesARunAtOnce() throws Exception {
        String job = "Deploy_Webservice_" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> r = postJenkins(productDocBuild(job, 1, "SUCCESS", 1692800000000L, 5000));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode answer = json(r);
        assertThat(answer.get("success").asBoolean()).isTrue();
        String runId = answer.get("runId").asText();
        HttpResponse<String> one = hub.admin("GET", "/api/pipeline-runs/" + runId, null);
        assertThat(one.statusCode()).isEqualTo(200);
        JsonNode run = json(one);
        assertThat(run.get("source").asText()).isEqualTo("jenkins");
        assertThat(run.get("job").asText()).isEqualTo(job);
        assertThat(run.get("number").asText()).isEqualTo("1");
        assertThat(run.get("status").asText()).isEqualTo("success");
        assertThat(run.get("started_at").asText()).isEqualTo("2023-08-23T14:13:20Z");
        assertThat(run.get("duration_ms").asLong()).isEqualTo(5000);
        assertThat(run.get("url").asText()).isEqualTo("http://jenkins:8080/job/" + job + "/1/");
        assertThat(run.get("triggered_by").asText()).isEqualTo("ci-default");

        Map<String, Object> delivery = deliveryRow(answer.get("deliveryId").asText());
        assertThat(delivery.get("provider")).isEqualTo("jenkins");
        assertThat(delivery.get("status")).isEqualTo("processed");
        assertThat(((Number) delivery.get("response_code")).intValue()).isEqualTo(202);
        assertThat((String) delivery.get("event_type")).isEqualTo("build.success");

        HttpResponse<String> folder = postJenkins("{\"build\":{\"full_url\":\"http://j/job/a%20b/job/c/9/\","
                + "\"number\":9,\"status\":\"FAILURE\"}}");
        assertThat(folder.statusCode()).as(folder.body()).isEqualTo(202);
        assertThat(json(hub.admin("GET", "/api/pipeline-runs/" + json(folder).get("runId").asText(), null))
                .get("job").asText()).isEqualTo("a b/c");
    }

    @Test
    void notificationPluginPhasesMoveARunForwardButNeverBack() throws Exception {
        String job = "asgard-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(postJenkins(notification(job, 18, "QUEUED", null, "origin/master")).statusCode()).isEqualTo(202);
        assertThat(run(runsOfJob(job), "18").get("status").asText()).isEqualTo("queued");
        assertThat(postJenkins(notification(job, 18, "STARTED", null, "origin/master")).statusCode()).isEqualTo(202);
        assertThat(run(runsOfJob(job), "18").get("status").asText()).isEqualTo("running");
        HttpResponse<String> done = postJenkins(notification(job, 18, "COMPLETED", "FAILURE", "origin/master"));
        assertThat(done.statusCode()).isEqualTo(202);
        assertThat(postJenkins(notification(job, 18, "FINALIZED", "FAILURE", "origin/master")).statusCode())
                .isEqualTo(202);
        // a late STARTED (retried by the sender) must not undo the result
        assertThat(postJenkins(notification(job, 18, "STARTED", null, "origin/master")).statusCode()).isEqualTo(202);

        JsonNode page = runsOfJob(job);
        assertThat(page.get("total").asInt()).isEqualTo(1);
        JsonNode run = run(page, "18");
        assertThat(run.get("status").asText()).isEqualTo("failure");
        assertThat(run.get("raw_status").asText()).isEqualTo("FAILURE");
        assertThat(run.get("branch").asText()).isEqualTo("master");
        assertThat(run.get("commit_sha").asText()).isEqualTo("c6d86dc654b12425e706bcf951adfe5a8627a517");
        assertThat(run.get("url").asText()).isEqualTo("http://localhost:8080/job/" + job + "/18/");
        assertThat(json(done).get("runId").asText()).isEqualTo(run.get("id").asText());

        // the plugin's published sample as it is
        byte[] sample = Files.readAllBytes(TestHub.samples().resolve("jenkins/notification.build_completed.json"));
        HttpResponse<String> r = postJenkins("?token=" + JENKINS_TOKEN, new String(sample, StandardCharsets.UTF_8),
                Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode asgard = json(hub.admin("GET", "/api/pipeline-runs/" + json(r).get("runId").asText(), null));
        assertThat(asgard.get("job").asText()).isEqualTo("asgard");
        assertThat(asgard.get("number").asText()).isEqualTo("18");
        assertThat(asgard.get("status").asText()).isEqualTo("success");
    }

    @Test
    void theWebhookTokenIsRequiredAsQueryParameterOrBasicAuthPassword() throws Exception {
        String body = productDocBuild("token-job", 1, "SUCCESS", 1692800000000L, 5000);
        GitWebhookFlowContract.assertJsonError(postJenkins("", body, Map.of()), 401, "missing_token");
        GitWebhookFlowContract.assertJsonError(postJenkins("?token=wrong", body, Map.of()), 401, "invalid_token");
        GitWebhookFlowContract.assertJsonError(postJenkins("", body, Map.of("Authorization",
                basic("jenkins", "wrong"))), 401, "invalid_token");
        GitWebhookFlowContract.assertJsonError(postJenkins("", body, Map.of("token", JENKINS_TOKEN)), 401,
                "missing_token");
        assertThat(runsOfJob("token-job").get("total").asInt()).isZero();

        assertThat(postJenkins("?token=" + JENKINS_TOKEN, body, Map.of()).statusCode()).isEqualTo(202);
        HttpResponse<String> viaBasic = postJenkins("", productDocBuild("token-job", 2, "SUCCESS", 1692800000000L,
                5000), Map.of("Authorization", basic("notifier", JENKINS_TOKEN)));
        assertThat(viaBasic.statusCode()).as(viaBasic.body()).isEqualTo(202);
        assertThat(runsOfJob("token-job").get("total").asInt()).isEqualTo(2);
    }

    @Test
    void malformedJenkinsWebhooksAreClear400sNever500() {
        GitWebhookFlowContract.assertJsonError(postJenkins("{not json"), 400, "malformed_json");
        GitWebhookFlowContract.assertJsonError(postJenkins(""), 400, "invalid_payload");
        GitWebhookFlowContract.assertJsonError(postJenkins("[1,2]"), 400, "invalid_payload");
        GitWebhookFlowContract.assertJsonError(postJenkins("{\"name\":\"x\"}"), 400, "invalid_payload");
        GitWebhookFlowContract.assertJsonError(postJenkins("{\"build\":{\"full_url\":\"http://j/job/x/1/\"}}"), 400,
                "invalid_payload");
        GitWebhookFlowContract.assertJsonError(postJenkins("{\"build\":{\"number\":\"abc\",\"full_url\":\"x\"}}"),
                400, "invalid_payload");
        GitWebhookFlowContract.assertJsonError(postJenkins("{\"build\":{\"number\":3}}"), 400, "invalid_payload");
        GitWebhookFlowContract.assertJsonError(postJenkins("{\"build\":\"yes\"}"), 400, "invalid_payload");
    }

    @Test
    void theWebhookAndThePollerForTheSameBuildMakeOneRow() throws Exception {
        String job = "both-" + UUID.randomUUID().toString().substring(0, 8);
        String body = productDocBuild(job, 5, "SUCCESS", 1476801392270L, 5017);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> postJenkins(body));
            }
            jenkins.job("", job, FakeJenkins.sampleBuilds(jenkins.jobUrl("", job)));
            calls.add(PipelineRunsContract::syncNow);
            for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
                assertThat(f.get().statusCode()).as(f.get().body()).isIn(200, 202);
            }
        } finally {
            pool.shutdown();
        }
        JsonNode page = await(job, p -> p.get("total").asInt() == 5, 5);
        Thread.sleep(1500);
        page = runsOfJob(job);
        assertThat(page.get("total").asInt()).isEqualTo(5);
        JsonNode five = run(page, "5");
        assertThat(five.get("status").asText()).isEqualTo("success");
        assertThat(five.get("triggered_by").asText()).isEqualTo("admin");
    }

    // ---- the listing API ----------------------------------------------------------------------------------------

    @Test
    void theListingFiltersPagesAndIsNewestFirst() throws Exception {
        String job = "list-" + UUID.randomUUID().toString().substring(0, 8);
        long t0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
        String[] statuses = { "SUCCESS", "FAILURE", "SUCCESS", "ABORTED", "FAILURE" };
        for (int i = 1; i <= 5; i++) {
            ObjectNode n = (ObjectNode) TestHub.MAPPER.readTree(notification(job, i, "COMPLETED", statuses[i - 1],
                    i % 2 == 0 ? "origin/feature-x" : "origin/main"));
            ((ObjectNode) n.get("build")).put("timestamp", t0 + i * 3_600_000L).put("duration", 1000);
            assertThat(postJenkins(n.toString()).statusCode()).isEqualTo(202);
        }
        String q = "?source=jenkins&job=" + job;
        JsonNode first = runs(q + "&limit=2");
        assertThat(first.get("total").asInt()).isEqualTo(5);
        assertThat(first.get("limit").asInt()).isEqualTo(2);
        assertThat(first.get("offset").asInt()).isZero();
        assertThat(first.get("items")).extracting(i -> i.get("number").asText()).containsExactly("5", "4");
        assertThat(runs(q + "&limit=2&offset=2").get("items")).extracting(i -> i.get("number").asText())
                .containsExactly("3", "2");
        assertThat(runs(q + "&limit=2&offset=4").get("items")).extracting(i -> i.get("number").asText())
                .containsExactly("1");
        assertThat(runs(q + "&status=failure").get("items")).extracting(i -> i.get("number").asText())
                .containsExactly("5", "2");
        assertThat(runs(q + "&branch=feature-x").get("items")).extracting(i -> i.get("number").asText())
                .containsExactly("4", "2");
        assertThat(runs(q + "&since=2025-01-01T03:00:00Z").get("items")).extracting(i -> i.get("number").asText())
                .containsExactly("5", "4", "3");
        assertThat(runs(q + "&since=2025-01-01T04:30:00%2B01:00").get("items")).extracting(i -> i.get("number").asText())
                .containsExactly("5", "4");
        assertThat(runs(q + "&since=2025-01-02").get("total").asInt()).isZero();
        assertThat(runs("?source=foundries&job=" + job).get("total").asInt()).isZero();
        assertThat(runs("?job=" + job).get("items").get(0).get("started_at").asText())
                .isEqualTo("2025-01-01T05:00:00Z");

        GitWebhookFlowContract.assertJsonError(hub.admin("GET", "/api/pipeline-runs?status=green", null), 400,
                "invalid_parameter");
        GitWebhookFlowContract.assertJsonError(hub.admin("GET", "/api/pipeline-runs?limit=0", null), 400,
                "invalid_parameter");
        GitWebhookFlowContract.assertJsonError(hub.admin("GET", "/api/pipeline-runs?limit=1001", null), 400,
                "invalid_parameter");
        GitWebhookFlowContract.assertJsonError(hub.admin("GET", "/api/pipeline-runs?offset=-1", null), 400,
                "invalid_parameter");
        GitWebhookFlowContract.assertJsonError(hub.admin("GET", "/api/pipeline-runs?since=yesterday", null), 400,
                "invalid_parameter");
        GitWebhookFlowContract.assertJsonError(hub.admin("GET", "/api/pipeline-runs?source=Not%20A%20Source", null),
                400, "invalid_parameter");
        GitWebhookFlowContract.assertJsonError(hub.admin("GET", "/api/pipeline-runs/no-such-run", null), 404,
                "not_found");
        GitWebhookFlowContract.assertJsonError(hub.send(HttpRequest.newBuilder(
                URI.create(hub.url("/api/pipeline-runs"))).GET()), 401, "unauthorized");
        GitWebhookFlowContract.assertJsonError(hub.send(HttpRequest.newBuilder(
                URI.create(hub.url("/api/jenkins/sync-now"))).POST(HttpRequest.BodyPublishers.noBody())), 401,
                "unauthorized");
    }

    // ---- FoundriesFactory ---------------------------------------------------------------------------------------

    @Test
    void foundriesBuildWebhookIsVerifiedWithTheColonSignatureAndKeepsItsRunsAsStages() throws Exception {
        byte[] body = Files.readAllBytes(TestHub.samples().resolve("jobserv/build_complete.json"));
        String vector = "sha256:deb6a30578e1ed0458fa1b932b757a1f8b5acfec63d6cb24f81364517e22f033";

        HttpResponse<String> r = postFoundries("default", body, vector);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode run = json(hub.admin("GET", "/api/pipeline-runs/" + json(r).get("runId").asText(), null));
        assertThat(run.get("source").asText()).isEqualTo("foundries");
        assertThat(run.get("job").asText()).isEqualTo("git-poller");
        assertThat(run.get("number").asText()).isEqualTo("123");
        assertThat(run.get("status").asText()).isEqualTo("success");
        assertThat(run.get("raw_status").asText()).isEqualTo("PASSED");
        assertThat(run.get("url").asText()).isEqualTo("https://jobserv.example.com/projects/lmp/builds/123/");
        assertThat(run.get("started_at").asText()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(run.get("duration_ms").asLong()).isEqualTo(300_000);
        assertThat(run.get("stages").isArray()).isTrue();
        assertThat(run.get("stages").get(0).get("name").asText()).isEqualTo("build-amd64");
        assertThat(run.get("stages").get(0).get("status").asText()).isEqualTo("PASSED");

        // the same build again (JobServ retries) is still one run
        assertThat(postFoundries("default", body, vector).statusCode()).isEqualTo(202);
        assertThat(runs("?source=foundries&job=git-poller").get("total").asInt()).isEqualTo(1);

        GitWebhookFlowContract.assertJsonError(postFoundries("default", body,
                vector.substring(0, vector.length() - 1) + "4"), 401, "invalid_signature");
        GitWebhookFlowContract.assertJsonError(postFoundries("default", body,
                "sha256=" + vector.substring(7)), 401, "invalid_signature");
        GitWebhookFlowContract.assertJsonError(postFoundries("default", body, null), 401, "missing_signature");
        GitWebhookFlowContract.assertJsonError(postFoundries("acme", body, vector), 401, "invalid_signature");
        GitWebhookFlowContract.assertJsonError(postFoundries("nobody", body, vector), 404, "unknown_webhook");

        byte[] tiny = "{\"build_id\": 1}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> t = postFoundries("default", tiny,
                "sha256:276cd186597c69031a484c63b235af2ba205fce7a0c1812b6a549c658110688b");
        assertThat(t.statusCode()).as(t.body()).isEqualTo(202);
        JsonNode tinyRun = json(hub.admin("GET", "/api/pipeline-runs/" + json(t).get("runId").asText(), null));
        assertThat(tinyRun.get("job").asText()).isEqualTo("default");
        assertThat(tinyRun.get("status").asText()).isEqualTo("unknown");

        byte[] acme = "{\"build_id\": 7, \"status\": \"RUNNING_WITH_FAILURES\", \"trigger_name\": \"lmp\"}"
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> a = postFoundries("acme", acme, "sha256:"
                + Signatures.githubSha256("acme-secret", acme).substring(7));
        assertThat(a.statusCode()).as(a.body()).isEqualTo(202);
        assertThat(run(runs("?source=foundries&job=lmp"), "7").get("status").asText()).isEqualTo("running");
        byte[] bad = "{\"status\": \"PASSED\"}".getBytes(StandardCharsets.UTF_8);
        GitWebhookFlowContract.assertJsonError(postFoundries("acme", bad, "sha256:"
                + Signatures.githubSha256("acme-secret", bad).substring(7)), 400, "missing_field");
    }

    static HttpResponse<String> postFoundries(String name, byte[] body, String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url("/api/webhooks/foundries/" + name)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header("X-JobServ-Sig", signature);
        }
        return hub.send(b);
    }

    // ---- CI events through the Git receivers --------------------------------------------------------------------

    @Test
    void githubWorkflowAndCheckRunsGitlabPipelinesAndJobsAndAzureBuildsBecomeRuns() throws Exception {
        String service = hub.createService("ci-" + UUID.randomUUID().toString().substring(0, 8), "main");

        String ghSecret = hub.issueSecret(service, "github");
        byte[] workflow = GitWebhookFlowContract.sample("github/workflow_run.completed.json");
        HttpResponse<String> w = hub.postWebhook("github", service, workflow, GitWebhookFlowContract.githubHeaders(
                ghSecret, workflow, "workflow_run", UUID.randomUUID().toString()));
        assertThat(w.statusCode()).as(w.body()).isEqualTo(202);
        byte[] check = GitWebhookFlowContract.sample("github/check_run.completed.json");
        assertThat(hub.postWebhook("github", service, check, GitWebhookFlowContract.githubHeaders(ghSecret, check,
                "check_run", UUID.randomUUID().toString())).statusCode()).isEqualTo(202);

        JsonNode wf = run(await("octo-org/octo-repo/test", p -> p.get("total").asInt() == 1, 10), "163");
        assertThat(wf.get("source").asText()).isEqualTo("github");
        assertThat(wf.get("status").asText()).isEqualTo("success");
        assertThat(wf.get("triggered_by").asText()).isEqualTo("Codertocat");
        assertThat(wf.get("branch").asText()).isEqualTo("master");
        assertThat(wf.get("commit_sha").asText()).isEqualTo("3484a3fb816e0859fd6e1cea078d76385ff50625");
        assertThat(wf.get("url").asText()).isEqualTo("https://github.com/octo-org/octo-repo/actions/runs/289782451");
        assertThat(wf.get("started_at").asText()).isEqualTo("2020-10-05T16:33:49Z");
        JsonNode cr = run(await("Codertocat/Hello-World/Octocoders-linter", p -> p.get("total").asInt() == 1, 10),
                "128620228");
        assertThat(cr.get("status").asText()).isEqualTo("success");
        assertThat(cr.get("commit_sha").asText()).isEqualTo("ec26c3e57ca3a959ca5aad62de7213c562f8c821");
        awaitDeliveryStatus(json(w).get("deliveryId").asText(), "processed");

        String glSecret = hub.issueSecret(service, "gitlab");
        for (String[] hook : new String[][] { { "gitlab/pipeline_hook.json", "Pipeline Hook" },
                { "gitlab/job_hook.json", "Job Hook" } }) {
            byte[] body = GitWebhookFlowContract.sample(hook[0]);
            HttpResponse<String> g = hub.postWebhook("gitlab", service, body, Map.of("Content-Type",
                    "application/json", "X-Gitlab-Token", glSecret, "X-Gitlab-Event", hook[1],
                    "X-Gitlab-Event-UUID", UUID.randomUUID().toString()));
            assertThat(g.statusCode()).as(g.body()).isEqualTo(202);
        }
        JsonNode pipeline = run(await("gitlab-org/gitlab-test", p -> p.get("total").asInt() == 1, 10), "31");
        assertThat(pipeline.get("source").asText()).isEqualTo("gitlab");
        assertThat(pipeline.get("status").asText()).isEqualTo("success");
        assertThat(pipeline.get("triggered_by").asText()).isEqualTo("root");
        assertThat(pipeline.get("duration_ms").asLong()).isEqualTo(63_000);
        assertThat(pipeline.get("started_at").asText()).isEqualTo("2016-08-12T15:23:28Z");
        assertThat(pipeline.get("branch").asText()).isEqualTo("master");
        JsonNode job = run(await("gitlab-org/gitlab-test/test", p -> p.get("total").asInt() == 1, 10), "1977");
        assertThat(job.get("status").asText()).isEqualTo("queued");
        assertThat(job.get("raw_status").asText()).isEqualTo("created");

        String azSecret = hub.issueSecret(service, "azure-devops");
        byte[] build = GitWebhookFlowContract.sample("azure-devops/build.complete.json");
        GitWebhookFlowContract.assertJsonError(hub.postWebhook("azure-devops", service, build, Map.of(
                "Content-Type", "application/json", "Authorization", basic("azure", "wrong"))), 401, "invalid_token");
        GitWebhookFlowContract.assertJsonError(hub.postWebhook("azure-devops", service, build, Map.of(
                "Content-Type", "application/json")), 401, "missing_credentials");
        HttpResponse<String> az = hub.postWebhook("azure-devops", service, build, Map.of("Content-Type",
                "application/json; charset=utf-8", "Authorization", basic("azure", azSecret)));
        assertThat(az.statusCode()).as(az.body()).isEqualTo(202);
        assertThat(json(az).get("providerDeliveryId").asText()).isEqualTo("4a5d99d6-1c75-4e53-91b9-ee80057d4ce3");
        assertThat(json(az).get("event").asText()).isEqualTo("build.complete");
        JsonNode azure = run(await("ConsumerAddressModule", p -> p.get("total").asInt() == 1, 10),
                "ConsumerAddressModule_20150407.1");
        assertThat(azure.get("source").asText()).isEqualTo("azure-devops");
        assertThat(azure.get("status").asText()).isEqualTo("success");
        assertThat(azure.get("triggered_by").asText()).isEqualTo("Normal Paulk");
        assertThat(azure.get("branch").asText()).isEqualTo("master");
        assertThat(azure.get("commit_sha").asText()).isEqualTo("600c52d2d5b655caa111abfd863e5a9bd304bb0e");
        assertThat(azure.get("duration_ms").asLong()).isEqualTo(123_860);
        // the same event again is a duplicate, and still one run
        HttpResponse<String> dup = hub.postWebhook("azure-devops", service, build, Map.of("Content-Type",
                "application/json", "Authorization", basic("azure", azSecret)));
        assertThat(json(dup).get("status").asText()).isEqualTo("duplicate");
        assertThat(runsOfJob("ConsumerAddressModule").get("total").asInt()).isEqualTo(1);
        GitWebhookFlowContract.assertJsonError(hub.postWebhook("azure-devops", service,
                "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json",
                        "Authorization", basic("azure", azSecret))), 400, "missing_field");
    }
}
