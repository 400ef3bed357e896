package dev.webhookhub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.FakeJenkins;
import dev.webhookhub.support.Mailbox;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.TestHub;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sync jobs end to end: the real hub, a real local source API, a target table, a target ticketing API. */
abstract class SyncJobsContract {

    static final Duration WAIT = Duration.ofSeconds(30);
    static TestHub hub;
    static Mailbox mailbox;
    static FakeApi api;
    static FakeJenkins jenkins;

    // fresh per test class: the H2 and PostgreSQL classes may run one after the other in one JVM
    @BeforeAll
    static void startFakes() {
        api = new FakeApi();
        jenkins = new FakeJenkins();
    }

    static Map<String, String> syncSettings(Mailbox mail) {
        Map<String, String> m = new HashMap<>();
        m.put("hub.jobs.max-concurrent", "3");
        m.put("hub.jobs.poll-interval-ms", "200");
        m.put("hub.notify.smtp.host", "127.0.0.1");
        m.put("hub.notify.smtp.port", String.valueOf(mail.port()));
        m.put("hub.notify.smtp.from", "Webhook Hub <hub@example.test>");
        m.put("hub.notify.smtp.timeout-ms", "3000");
        m.put("hub.notify.retry-schedule", "0s,300ms,300ms,300ms");
        m.put("hub.notify.retry-jitter", "0");
        m.put("hub.notify.poll-interval-ms", "100");
        m.put("hub.outbound.retry-schedule", "0s,100ms,100ms");
        m.put("hub.outbound.retry-jitter", "0");
        m.put("hub.outbound.poll-interval-ms", "50");
        m.put("hub.jenkins.url", jenkins.url());
        m.put("hub.jenkins.poll-interval-seconds", "1");
        m.put("camel.component.http.response-timeout", "4000");
        m.put("camel.component.http.so-timeout", "4000");
        return m;
    }

    @AfterAll
    static void stopAll() {
        if (hub != null) {
            hub.close();
        }
        if (mailbox != null) {
            mailbox.close();
        }
        api.close();
        jenkins.close();
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static JsonNode createConfig(String json) {
        HttpResponse<String> r = hub.admin("POST", "/api/sync-configs", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestHub.json(r);
    }

    static String queue(String configId, String body) {
        HttpResponse<String> r = hub.admin("POST", "/api/jobs/queue/" + configId, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = TestHub.json(r).get("job_id").asText();
        assertThat(id).matches("job_\\d{13}_[a-z0-9]+");
        return id;
    }

    static JsonNode awaitJob(String jobId) {
        AtomicReference<JsonNode> job = new AtomicReference<>();
        Await.until(() -> {
            HttpResponse<String> r = hub.admin("GET", "/api/jobs/status/" + jobId, null);
            job.set(TestHub.json(r).get("job"));
            String s = job.get().get("status").asText();
            return s.equals("completed") || s.equals("failed");
        }, WAIT, "job " + jobId + " finished");
        return job.get();
    }

    static List<Map<String, Object>> rows(String sql) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = hub.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    static void execute(String sql) throws Exception {
        try (Connection c = hub.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** A source API of builds on two pages (JSON `next` link), with a bearer token. */
    static Map<Integer, String> builds(String path) {
        Map<Integer, String> results = new ConcurrentHashMap<>();
        results.put(1, "SUCCESS");
        results.put(2, "FAILURE");
        api.on(path, call -> {
            if (!"Bearer src-token".equals(call.authorization())) {
                return new FakeApi.Reply(401, "{}", Map.of());
            }
            boolean second = call.query() != null && call.query().contains("page=2");
            int id = second ? 2 : 1;
            String next = second ? "null" : "\"" + path + "?page=2\"";
            return FakeApi.Reply.json("{\"builds\":[{\"id\":" + id + ",\"name\":\"build-" + id + "\",\"result\":\""
                    + results.get(id) + "\"}],\"next\":" + next + "}");
        });
        return results;
    }

    static String httpSource(String path) {
        return "{\"type\":\"http-json\",\"url\":\"" + api.url(path) + "\",\"items\":\"$.builds\",\"id\":\"id\","
                + "\"next\":\"$.next\",\"auth\":\"bearer\",\"token\":\"src-token\"}";
    }

    // ---- runs

    @Test
    void aConfigCreatedThroughTheApiRunsOnItsCronAndThenReportsUnchangedAndUpdated() throws Exception {
        String table = unique("synced_builds_");
        execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, title VARCHAR(100), state VARCHAR(20))");
        String path = "/" + unique("ci") + "/api/builds";
        Map<Integer, String> results = builds(path);
        JsonNode config = createConfig("{\"name\":\"builds to table\",\"source\":" + httpSource(path) + ","
                + "\"target\":{\"type\":\"sql\",\"table\":\"" + table + "\",\"key\":[\"id\"]},"
                + "\"mapping\":{\"id\":\"id\",\"title\":\"'Build ' & name\",\"state\":\"$lowercase(result)\"},"
                + "\"trigger_type\":\"scheduled\",\"schedule_cron\":\"*/1 * * * * *\"}");
        String id = config.get("id").asText();
        assertThat(config.get("source").get("token").asText()).isEqualTo("********");
        assertThat(config.get("next_sync_at").asLong()).isPositive();

        Await.until(() -> {
            try {
                return rows("SELECT * FROM " + table).size() == 2;
            } catch (Exception e) {
                return false;
            }
        }, WAIT, "the scheduled run wrote both builds");
        HttpResponse<String> un = hub.admin("POST", "/api/scheduler/unschedule/" + id, null);
        assertThat(un.statusCode()).as(un.body()).isEqualTo(200);
        assertThat(rows("SELECT * FROM " + table + " WHERE id = 1").get(0))
                .containsEntry("title", "Build build-1").containsEntry("state", "success");
        assertThat(rows("SELECT * FROM " + table + " WHERE id = 2").get(0)).containsEntry("state", "failure");
        JsonNode history = TestHub.json(hub.admin("GET", "/api/execute/history/" + id + "?limit=50", null));
        JsonNode first = history.get("executions").get(history.get("executions").size() - 1);
        assertThat(first.get("trigger").asText()).isEqualTo("scheduled");
        assertThat(first.get("created").asInt()).isEqualTo(2);

        // wait for any scheduled job still queued or running, then a manual run: nothing changed
        Await.until(() -> TestHub.json(hub.admin("GET", "/api/jobs/queue", null)).get("queue").get("activeJobs")
                .asInt() == 0, WAIT, "no job running");
        JsonNode second = awaitJob(queue(id, "{}"));
        assertThat(second.get("status").asText()).as(second.toString()).isEqualTo("completed");
        assertThat(second.get("result").get("unchanged").asInt()).isEqualTo(2);
        assertThat(second.get("result").get("created").asInt()).isZero();

        results.put(1, "UNSTABLE");
        JsonNode third = awaitJob(queue(id, "{\"dry_run\":false}"));
        assertThat(third.get("result").get("updated").asInt()).as(third.toString()).isEqualTo(1);
        assertThat(third.get("result").get("unchanged").asInt()).isEqualTo(1);
        assertThat(rows("SELECT * FROM " + table + " WHERE id = 1").get(0)).containsEntry("state", "unstable");

        JsonNode newest = TestHub.json(hub.admin("GET", "/api/execute/history/" + id + "?limit=1", null))
                .get("executions");
        assertThat(newest).hasSize(1);
        assertThat(newest.get(0).get("executionId").asText())
                .isEqualTo(third.get("result").get("executionId").asText());
    }

    @Test
    void theHttpJsonTargetCreatesThenUpdatesTicketsAndADryRunWritesNothing() throws Exception {
        String path = "/" + unique("ci") + "/api/builds";
        Map<Integer, String> results = builds(path);
        String tickets = "/" + unique("desk") + "/tickets";
        AtomicInteger next = new AtomicInteger();
        api.on(tickets, call -> call.method().equals("POST")
                ? new FakeApi.Reply(201, "{\"ticket\":{\"key\":\"T-" + next.incrementAndGet() + "\"}}", Map.of())
                : FakeApi.Reply.json("{}"));
        String id = createConfig("{\"name\":\"builds to tickets\",\"source\":" + httpSource(path) + ","
                + "\"target\":{\"type\":\"http-json\",\"url\":\"" + api.url(tickets) + "\",\"update_url\":\""
                + api.url(tickets) + "/{id}\",\"update_method\":\"PATCH\",\"response_id\":\"$.ticket.key\"},"
                + "\"mapping\":{\"subject\":\"name & ' ' & result\"}}").get("id").asText();

        JsonNode dry = awaitJob(queue(id, "{\"dry_run\":true}"));
        assertThat(dry.get("result").get("created").asInt()).as(dry.toString()).isEqualTo(2);
        assertThat(api.calls(tickets)).isEmpty();

        JsonNode run = awaitJob(queue(id, null));
        assertThat(run.get("result").get("created").asInt()).as(run.toString()).isEqualTo(2);
        assertThat(api.calls(tickets)).hasSize(2).allMatch(c -> c.method().equals("POST"));
        assertThat(api.calls(tickets).get(0).body()).isEqualTo("{\"subject\":\"build-1 SUCCESS\"}");

        results.put(2, "SUCCESS");
        JsonNode again = awaitJob(queue(id, "{\"work_item_ids\":[2]}"));
        assertThat(again.get("result").get("total").asInt()).as(again.toString()).isEqualTo(1);
        assertThat(again.get("result").get("updated").asInt()).isEqualTo(1);
        FakeApi.Call patch = api.calls(tickets).get(2);
        assertThat(patch.method()).isEqualTo("PATCH");
        assertThat(patch.path()).isEqualTo(tickets + "/T-2");
        assertThat(patch.body()).isEqualTo("{\"subject\":\"build-2 SUCCESS\"}");
    }

    @Test
    void theReadmeExampleSendsMappedItemsAsSignedWebhooks() throws Exception {
        String path = "/" + unique("ci") + "/api/builds";
        api.on(path, call -> FakeApi.Reply.json("{\"builds\":[{\"id\":7,\"name\":\"api\",\"result\":\"SUCCESS\"}]}"));
        try (Receiver receiver = Receiver.always(200)) {
            String url = receiver.url() + "/" + unique("in");
            String id = createConfig("{\"name\":\"jenkins-to-tickets\",\"source\":{\"type\":\"http-json\",\"url\":\""
                    + api.url(path) + "\",\"items\":\"$.builds\",\"id\":\"id\"},\"target\":{\"type\":\"webhook\","
                    + "\"url\":\"" + url + "\",\"signature_scheme\":\"standard-webhooks\"},\"mapping\":{\"title\":"
                    + "\"name\",\"state\":\"result = 'SUCCESS' ? 'done' : 'open'\"},\"trigger_type\":\"manual\"}")
                    .get("id").asText();
            JsonNode job = awaitJob(queue(id, null));
            assertThat(job.get("result").get("created").asInt()).as(job.toString()).isEqualTo(1);
            Await.until(() -> !receiver.requests().isEmpty(), WAIT, "the webhook arrived");
            Receiver.Request r = receiver.requests().get(0);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"title\":\"api\",\"state\":\"done\"}");
            assertThat(r.header("webhook-signature")).startsWith("v1,");
        }
    }

    @Test
    void theWebhookTargetInBatchModeSendsTheRunsItemsAsOneSignedMessage() throws Exception {
        String path = "/" + unique("ci") + "/api/builds";
        String[] builds = { "{\"builds\":[{\"id\":1,\"name\":\"a\"},{\"id\":2,\"name\":\"b\"},{\"id\":3,\"name\":\"c\"}]}" };
        api.on(path, call -> FakeApi.Reply.json(builds[0]));
        try (Receiver receiver = Receiver.always(200)) {
            String id = createConfig("{\"name\":\"" + unique("batch") + "\",\"source\":{\"type\":\"http-json\",\"url\":\""
                    + api.url(path) + "\",\"items\":\"$.builds\",\"id\":\"id\"},\"target\":{\"type\":\"webhook\","
                    + "\"url\":\"" + receiver.url() + "\",\"batch\":true,\"event_type\":\"builds.synced\"},"
                    + "\"mapping\":{\"title\":\"name\"}}").get("id").asText();
            JsonNode first = awaitJob(queue(id, null));
            assertThat(first.get("result").get("created").asInt()).as(first.toString()).isEqualTo(3);
            Await.until(() -> !receiver.requests().isEmpty(), WAIT, "the batch arrived");
            assertThat(new String(receiver.requests().get(0).body(), StandardCharsets.UTF_8))
                    .isEqualTo("[{\"title\":\"a\"},{\"title\":\"b\"},{\"title\":\"c\"}]");
            assertThat(receiver.requests().get(0).header("webhook-signature")).startsWith("v1,");

            // one item changes: the next run's batch holds only it; nothing changes: no message at all
            builds[0] = builds[0].replace("\"name\":\"b\"", "\"name\":\"b2\"");
            JsonNode second = awaitJob(queue(id, null));
            assertThat(second.get("result").get("updated").asInt()).as(second.toString()).isEqualTo(1);
            assertThat(second.get("result").get("unchanged").asInt()).isEqualTo(2);
            Await.until(() -> receiver.requests().size() == 2, WAIT, "the second batch arrived");
            assertThat(new String(receiver.requests().get(1).body(), StandardCharsets.UTF_8))
                    .isEqualTo("[{\"title\":\"b2\"}]");
            JsonNode third = awaitJob(queue(id, null));
            assertThat(third.get("result").get("unchanged").asInt()).as(third.toString()).isEqualTo(3);
            assertThat(receiver.requests()).hasSize(2);
        }
    }

    @Test
    void sixQueuedJobsNeverRunMoreThanThreeAtOnceNorTwoOfOneConfig() throws Exception {
        String base = "/" + unique("cap");
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        Map<String, AtomicInteger> perConfig = new ConcurrentHashMap<>();
        AtomicInteger maxPerConfig = new AtomicInteger();
        List<String> configs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String p = base + "/c" + i;
            api.on(p + "/src", call -> FakeApi.Reply.json("[{\"id\":\"" + UUID.randomUUID() + "\"}]"));
            api.on(p + "/out", call -> {
                int n = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(n, Math::max);
                int c = perConfig.computeIfAbsent(p, k -> new AtomicInteger()).incrementAndGet();
                maxPerConfig.accumulateAndGet(c, Math::max);
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } finally {
                    perConfig.get(p).decrementAndGet();
                    inFlight.decrementAndGet();
                }
                return new FakeApi.Reply(201, "{\"id\":\"x\"}", Map.of());
            });
            configs.add(createConfig("{\"name\":\"cap " + i + "\",\"source\":{\"type\":\"http-json\",\"url\":\""
                    + api.url(p + "/src") + "\"},\"target\":{\"type\":\"http-json\",\"url\":\"" + api.url(p + "/out")
                    + "\"}}").get("id").asText());
        }
        List<String> jobs = new ArrayList<>();
        for (String c : List.of(configs.get(0), configs.get(0), configs.get(1), configs.get(1), configs.get(2),
                configs.get(3))) {
            jobs.add(queue(c, "{}"));
        }
        Await.until(() -> inFlight.get() == 3, WAIT, "three jobs at the target");
        JsonNode q = TestHub.json(hub.admin("GET", "/api/jobs/queue", null)).get("queue");
        String states = rows("SELECT id, config_id, status, runs, error FROM sync_jobs WHERE status NOT IN "
                + "('completed', 'failed')").toString();
        assertThat(q.get("activeJobs").asInt()).as(states).isEqualTo(3);
        assertThat(q.get("queuedJobs").asInt()).as(states).isEqualTo(3);
        assertThat(q.get("maxConcurrent").asInt()).isEqualTo(3);
        assertThat(q.get("isProcessing").asBoolean()).isTrue();
        gate.countDown();
        for (String j : jobs) {
            assertThat(awaitJob(j).get("status").asText()).isEqualTo("completed");
        }
        assertThat(maxInFlight.get()).isEqualTo(3);
        assertThat(maxPerConfig.get()).isEqualTo(1);
    }

    @Test
    void aSourceThatIsDownFailsTheSyncVisiblyWithSyncFailedByEmail() throws Exception {
        String name = "down source " + unique("");
        String id = createConfig("{\"name\":\"" + name + "\",\"source\":{\"type\":\"http-json\",\"url\":"
                + "\"http://127.0.0.1:1/api/builds\"},\"target\":{\"type\":\"sql\",\"table\":\"nowhere\"}}")
                .get("id").asText();
        HttpResponse<String> n = hub.admin("POST", "/api/notifications", "{\"sync_config_id\":\"" + id + "\","
                + "\"notification_type\":\"email\",\"event_triggers\":[\"sync_failed\"],"
                + "\"recipients\":[\"ops@example.test\"],\"settings\":{}}");
        assertThat(n.statusCode()).as(n.body()).isEqualTo(201);
        JsonNode job = awaitJob(queue(id, null));
        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.get("error").asText()).contains("source").contains("127.0.0.1:1");
        JsonNode exec = TestHub.json(hub.admin("GET", "/api/execute/history/" + id, null)).get("executions").get(0);
        assertThat(exec.get("status").asText()).isEqualTo("failed");
        assertThat(exec.get("error").asText()).isEqualTo(job.get("error").asText());

        List<MimeMessage> mails = mailbox.await("Sync Failed: " + name, 1, WAIT);
        String text = Mailbox.parts(mails.get(0)).get("text/plain");
        assertThat(text).contains("Configuration: " + name, "Execution ID: " + exec.get("executionId").asText(),
                "Items Failed: 0", "Error: source");
    }

    @Test
    void jenkinsPipelineRunsAndSqlSourcesFeedTablesAndTickets() throws Exception {
        String job = unique("api");
        jenkins.job("", job, FakeJenkins.sampleBuilds(jenkins.jobUrl("", job)));
        String builds = unique("jenkins_builds_");
        execute("CREATE TABLE " + builds + " (id VARCHAR(200) PRIMARY KEY, result VARCHAR(20), num INTEGER)");
        String fromJenkins = createConfig("{\"name\":\"jenkins builds\",\"source\":{\"type\":\"jenkins\",\"job\":\""
                + job + "\",\"max_builds\":3},\"target\":{\"type\":\"sql\",\"table\":\"" + builds + "\"},"
                + "\"mapping\":{\"id\":\"id\",\"result\":\"result\",\"num\":\"number\"}}").get("id").asText();
        JsonNode j = awaitJob(queue(fromJenkins, null));
        assertThat(j.get("result").get("created").asInt()).as(j.toString()).isEqualTo(3);
        assertThat(rows("SELECT * FROM " + builds + " WHERE id = '" + job + "#5'").get(0))
                .containsEntry("result", "SUCCESS").containsEntry("num", 5);

        // the poller turns the same builds into pipeline runs; the pipeline-runs source reads them back
        String runsTable = unique("runs_");
        execute("CREATE TABLE " + runsTable + " (id VARCHAR(100) PRIMARY KEY, job VARCHAR(200), status VARCHAR(20))");
        String fromRuns = createConfig("{\"name\":\"runs\",\"source\":{\"type\":\"pipeline-runs\",\"source\":"
                + "\"jenkins\",\"job\":\"" + job + "\"},\"target\":{\"type\":\"sql\",\"table\":\"" + runsTable
                + "\"},\"mapping\":{\"id\":\"id\",\"job\":\"job\",\"status\":\"status\"}}").get("id").asText();
        Await.until(() -> {
            JsonNode r = awaitJob(queue(fromRuns, null));
            return r.get("result").get("total").asInt() == 5;
        }, WAIT, "the pipeline-runs source reads the five polled runs");
        assertThat(rows("SELECT * FROM " + runsTable)).hasSize(5).allMatch(r -> job.equals(r.get("job")));

        // the sql source reads the first table back and files one ticket per row
        String tickets = "/" + unique("desk") + "/tickets";
        api.on(tickets, call -> new FakeApi.Reply(201, "{\"id\":\"x\"}", Map.of()));
        String fromSql = createConfig("{\"name\":\"sql rows\",\"source\":{\"type\":\"sql\",\"query\":"
                + "\"SELECT id, result FROM " + builds + " ORDER BY id\"},\"target\":{\"type\":\"http-json\","
                + "\"url\":\"" + api.url(tickets) + "\"},\"mapping\":{\"title\":\"id & ': ' & result\"}}")
                .get("id").asText();
        JsonNode s = awaitJob(queue(fromSql, null));
        assertThat(s.get("result").get("created").asInt()).as(s.toString()).isEqualTo(3);
        assertThat(api.calls(tickets)).extracting(FakeApi.Call::body)
                .contains("{\"title\":\"" + job + "#5: SUCCESS\"}");
    }

    @Test
    void aJobWhoseInstanceStoppedRenewingItsLeaseRunsAgainOnceThenFails() throws Exception {
        String path = "/" + unique("lease");
        api.on(path, call -> FakeApi.Reply.json("[{\"id\":1}]"));
        String tickets = "/" + unique("desk");
        api.on(tickets, call -> new FakeApi.Reply(201, "{\"id\":\"t\"}", Map.of()));
        String id = createConfig("{\"name\":\"lease\",\"source\":{\"type\":\"http-json\",\"url\":\""
                + api.url(path) + "\"},\"target\":{\"type\":\"http-json\",\"url\":\"" + api.url(tickets) + "\"}}")
                .get("id").asText();
        String once = unique("job_once_");
        String twice = unique("job_twice_");
        for (String[] j : new String[][] { { once, "1" }, { twice, "2" } }) {
            execute("INSERT INTO sync_jobs (id, job_type, config_id, trigger_type, status, runs, owner, heartbeat_at, "
                    + "created_at, started_at) VALUES ('" + j[0] + "', 'sync', '" + id + "', 'manual', 'running', "
                    + j[1] + ", 'a-dead-instance', TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00', "
                    + "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        JsonNode again = awaitJob(once);
        assertThat(again.get("status").asText()).as(again.toString()).isEqualTo("completed");
        assertThat(again.get("runs").asInt()).isEqualTo(2);
        assertThat(again.get("result").get("created").asInt()).isEqualTo(1);
        JsonNode failed = awaitJob(twice);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).contains("interrupted twice");
        assertThat(api.calls(tickets)).hasSize(1);
    }

    @Test
    void retentionDeletesFinishedJobsAndExecutionsPastTheRetentionDays() throws Exception {
        String old = unique("job_old_");
        String recent = unique("job_recent_");
        execute("INSERT INTO sync_jobs (id, job_type, config_id, trigger_type, status, created_at, completed_at) "
                + "VALUES ('" + old + "', 'sync', 'c', 'manual', 'completed', TIMESTAMP WITH TIME ZONE "
                + "'2020-01-01 00:00:00+00', TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00')");
        execute("INSERT INTO sync_jobs (id, job_type, config_id, trigger_type, status, created_at, completed_at) "
                + "VALUES ('" + recent + "', 'sync', 'c', 'manual', 'completed', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        execute("INSERT INTO sync_executions (id, config_id, trigger_type, status, started_at, completed_at) VALUES ('"
                + old + "', 'c', 'manual', 'completed', TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00', "
                + "TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00')");
        long deleted = hub.context().getRegistry().lookupByNameAndType("syncRetention", SyncRetention.class).run();
        assertThat(deleted).isGreaterThanOrEqualTo(2);
        assertThat(rows("SELECT id FROM sync_jobs WHERE id IN ('" + old + "', '" + recent + "')"))
                .extracting(r -> r.get("id")).containsExactly(recent);
        assertThat(rows("SELECT id FROM sync_executions WHERE id = '" + old + "'")).isEmpty();
        JsonNode retention = TestHub.json(hub.admin("GET", "/api/scheduler/status", null)).get("scheduler")
                .get("retention");
        assertThat(retention.get("deletedTotal").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(retention.get("lastRunAt").isNull()).isFalse();
    }

    @Test
    void aSourceThatNeverAnswersFailsTheRunAtTheTimeoutAndFreesItsSlot() {
        String path = "/" + unique("hang");
        api.on(path, call -> {
            Thread.sleep(20_000);
            return FakeApi.Reply.json("[]");
        });
        String id = createConfig("{\"name\":\"hanging\",\"source\":{\"type\":\"http-json\",\"url\":\""
                + api.url(path) + "\"},\"target\":{\"type\":\"sql\",\"table\":\"nowhere\"}}").get("id").asText();
        JsonNode job = awaitJob(queue(id, null));
        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.get("error").asText()).as(job.toString()).containsIgnoringCase("timed out");
        assertThat(job.get("completedAt").asLong() - job.get("startedAt").asLong()).isLessThan(15_000);
    }

    // ---- validation

    @Test
    void badSettingsAndCronsAre400sNamingTheFieldAndSaveNothing() throws Exception {
        int before = TestHub.json(hub.admin("GET", "/api/sync-configs", null)).get("configs").size();
        String target = "{\"type\":\"sql\",\"table\":\"t\"}";
        assertBad("{\"name\":\"x\",\"source\":{\"type\":\"http-json\"},\"target\":" + target + "}", "source.url");
        assertBad("{\"name\":\"x\",\"source\":{\"type\":\"http-json\",\"url\":\"ftp://x\"},\"target\":" + target
                + "}", "source.url");
        assertBad("{\"name\":\"x\",\"source\":{\"type\":\"http-json\",\"url\":\"http://x\",\"colour\":1},"
                + "\"target\":" + target + "}", "source.colour");
        assertBad("{\"name\":\"x\",\"source\":{\"type\":\"nope\"},\"target\":" + target + "}", "source.type");
        assertBad("{\"name\":\"x\",\"source\":{\"type\":\"http-json\",\"settings\":{}},\"target\":" + target + "}",
                "source.settings.url");
        assertBad("{\"name\":\"x\",\"source\":{\"type\":\"http-json\",\"url\":\"http://x\"},\"target\":"
                + "{\"type\":\"sql\"}}", "target.table");
        assertBad("{\"name\":\"x\",\"source\":{\"type\":\"http-json\",\"url\":\"http://x\"},\"target\":" + target
                + ",\"mapping\":{\"title\":\"name &\"}}", "mapping.title");
        assertBad("{\"name\":\"x\",\"source\":{\"type\":\"http-json\",\"url\":\"http://x\"},\"target\":" + target
                + ",\"trigger_type\":\"scheduled\",\"schedule_cron\":\"61 * * * *\"}", "schedule_cron");
        assertBad("{\"name\":\"x\",\"source\":{\"type\":\"http-json\",\"url\":\"http://x\"},\"target\":" + target
                + ",\"trigger_type\":\"scheduled\"}", "schedule_cron");
        assertThat(TestHub.json(hub.admin("GET", "/api/sync-configs", null)).get("configs")).hasSize(before);

        // an unreachable connector still saves
        JsonNode ok = createConfig("{\"name\":\"unreachable\",\"source\":{\"type\":\"http-json\",\"url\":"
                + "\"http://unreachable.invalid/api\"},\"target\":" + target + "}");
        String id = ok.get("id").asText();
        HttpResponse<String> bad = hub.admin("POST", "/api/scheduler/schedule/" + id, "{\"schedule_cron\":\"* * *\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(TestHub.json(bad).get("code").asText()).isEqualTo("invalid_cron");
        HttpResponse<String> put = hub.admin("PUT", "/api/sync-configs/" + id, "{\"target\":{\"type\":\"sql\"}}");
        assertThat(put.statusCode()).isEqualTo(400);
        JsonNode now = TestHub.json(hub.admin("GET", "/api/sync-configs/" + id, null));
        assertThat(now.get("trigger_type").asText()).isEqualTo("manual");
        assertThat(now.get("target").get("table").asText()).isEqualTo("t");

        HttpResponse<String> sched = hub.admin("POST", "/api/scheduler/schedule/" + id,
                "{\"schedule_cron\":\"0 9 * * 1-5\"}");
        assertThat(sched.statusCode()).as(sched.body()).isEqualTo(200);
        long next = TestHub.json(sched).get("next_run").get("next_sync_at").asLong();
        java.time.ZonedDateTime at = java.time.Instant.ofEpochMilli(next).atZone(java.time.ZoneOffset.UTC);
        assertThat(at.getHour()).isEqualTo(9);
        assertThat(at.getDayOfWeek().getValue()).isBetween(1, 5);
        JsonNode status = TestHub.json(hub.admin("GET", "/api/scheduler/status", null)).get("scheduler");
        assertThat(status.get("jobs").findValuesAsText("configId")).contains(id);
        assertThat(status.get("retention").get("days").asInt()).isEqualTo(30);
        assertThat(hub.admin("POST", "/api/scheduler/unschedule/" + id, null).statusCode()).isEqualTo(200);
        assertThat(hub.admin("DELETE", "/api/sync-configs/" + id, null).statusCode()).isEqualTo(204);
        assertThat(hub.admin("GET", "/api/sync-configs/" + id, null).statusCode()).isEqualTo(404);
        assertThat(hub.admin("POST", "/api/jobs/queue/" + id, "{}").statusCode()).isEqualTo(404);
    }

    private static void assertBad(String json, String field) {
        HttpResponse<String> r = hub.admin("POST", "/api/sync-configs", json);
        assertThat(r.statusCode()).as(json + " -> " + r.body()).isEqualTo(400);
        assertThat(TestHub.json(r).get("error").asText()).as(json).contains(field);
        assertThat(TestHub.json(r).get("success").asBoolean()).isFalse();
    }
}
