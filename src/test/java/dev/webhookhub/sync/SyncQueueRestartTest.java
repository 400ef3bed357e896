package dev.webhookhub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue is rows: a bounded queue answers 429; queued jobs and a job running when the hub stopped run after the
 * next start (the running one again, once); the scheduler's stopped state survives the restart; a tick missed while
 * it was stopped runs once when it starts.
 */
class SyncQueueRestartTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final FakeApi api = new FakeApi();

    @TempDir
    static Path dataDir;

    @AfterAll
    static void stopApi() {
        api.close();
    }

    static Map<String, String> settings() {
        Map<String, String> m = new HashMap<>();
        m.put("hub.jobs.max-concurrent", "1");
        m.put("hub.jobs.max-queued", "3");
        m.put("hub.jobs.poll-interval-ms", "200");
        m.put("camel.main.shutdown-timeout", "1");
        m.put("hub.sync.misfire-threshold-ms", "1000");
        return m;
    }

    @Test
    void queuedAndRunningJobsSurviveARestartAndTheBoundAnswers429() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch firstCall = new CountDownLatch(1);
        api.on("/slow", call -> {
            firstCall.countDown();
            gate.await(60, TimeUnit.SECONDS);
            return FakeApi.Reply.json("[{\"id\":1,\"v\":\"slow\"}]");
        });
        api.on("/fast", call -> FakeApi.Reply.json("[{\"id\":2,\"v\":\"fast\"}]"));
        api.on("/out", call -> new FakeApi.Reply(201, "{\"id\":\"t\"}", Map.of()));
        String slow;
        String fast;
        String yearly;
        List<String> jobs = new ArrayList<>();
        TestHub hub = TestHub.start(dataDir, settings());
        try {
            slow = create(hub, "{\"name\":\"slow\",\"source\":{\"type\":\"http-json\",\"url\":\"" + api.url("/slow")
                    + "\"},\"target\":{\"type\":\"http-json\",\"url\":\"" + api.url("/out") + "\"}}");
            fast = create(hub, "{\"name\":\"fast\",\"source\":{\"type\":\"http-json\",\"url\":\"" + api.url("/fast")
                    + "\"},\"target\":{\"type\":\"http-json\",\"url\":\"" + api.url("/out") + "\"}}");
            yearly = create(hub, "{\"name\":\"yearly\",\"source\":{\"type\":\"http-json\",\"url\":\""
                    + api.url("/fast") + "\"},\"target\":{\"type\":\"http-json\",\"url\":\"" + api.url("/out")
                    + "\"},\"trigger_type\":\"scheduled\",\"schedule_cron\":\"0 0 1 1 *\"}");
            jobs.add(queue(hub, slow));
            assertThat(firstCall.await(30, TimeUnit.SECONDS)).isTrue();
            jobs.add(queue(hub, fast));
            jobs.add(queue(hub, fast));
            jobs.add(queue(hub, slow));
            HttpResponse<String> full = hub.admin("POST", "/api/jobs/queue/" + fast, "{}");
            assertThat(full.statusCode()).as(full.body()).isEqualTo(429);
            assertThat(full.headers().firstValue("Retry-After")).isPresent();
            assertThat(TestHub.json(full).get("code").asText()).isEqualTo("queue_full");
            JsonNode q = TestHub.json(hub.admin("GET", "/api/jobs/queue", null)).get("queue");
            assertThat(q.get("activeJobs").asInt()).isEqualTo(1);
            assertThat(q.get("queuedJobs").asInt()).isEqualTo(3);

            assertThat(hub.admin("POST", "/api/scheduler/stop", null).statusCode()).isEqualTo(200);
            try (Connection c = hub.dataSource().getConnection();
                    Statement s = c.createStatement()) {
                // the yearly tick is due an hour ago: missed while the scheduler was stopped
                int n = s.executeUpdate("UPDATE QRTZ_TRIGGERS SET NEXT_FIRE_TIME = "
                        + (System.currentTimeMillis() - 3_600_000L) + " WHERE TRIGGER_NAME = '" + yearly + "'");
                assertThat(n).as("the yearly trigger is in Quartz's job store").isEqualTo(1);
            }
        } finally {
            hub.close();
            gate.countDown();
        }

        TestHub again = TestHub.start(dataDir, settings());
        try {
            for (String j : jobs) {
                Await.until(() -> status(again, j).get("status").asText().equals("completed"), WAIT,
                        "job " + j + " completed after the restart");
            }
            assertThat(status(again, jobs.get(0)).get("runs").asInt()).isEqualTo(2);
            assertThat(status(again, jobs.get(1)).get("runs").asInt()).isEqualTo(1);

            JsonNode sched = TestHub.json(again.admin("GET", "/api/scheduler/status", null)).get("scheduler");
            assertThat(sched.get("isRunning").asBoolean()).isFalse();
            assertThat(jobsOf(again, yearly)).isEmpty();
            assertThat(again.admin("POST", "/api/scheduler/start", null).statusCode()).isEqualTo(200);
            Await.until(() -> jobsOf(again, yearly).size() == 1
                    && jobsOf(again, yearly).get(0).equals("completed"), WAIT, "the missed yearly run ran once");
            sched = TestHub.json(again.admin("GET", "/api/scheduler/status", null)).get("scheduler");
            assertThat(sched.get("isRunning").asBoolean()).isTrue();
            assertThat(sched.get("jobCount").asInt()).isEqualTo(1);
            assertThat(jobsOf(again, yearly)).hasSize(1);
        } finally {
            again.close();
        }
    }

    private static String create(TestHub hub, String json) {
        HttpResponse<String> r = hub.admin("POST", "/api/sync-configs", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestHub.json(r).get("id").asText();
    }

    private static String queue(TestHub hub, String configId) {
        HttpResponse<String> r = hub.admin("POST", "/api/jobs/queue/" + configId, "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return TestHub.json(r).get("job_id").asText();
    }

    private static JsonNode status(TestHub hub, String jobId) {
        return TestHub.json(hub.admin("GET", "/api/jobs/status/" + jobId, null)).get("job");
    }

    private static List<String> jobsOf(TestHub hub, String configId) {
        List<String> out = new ArrayList<>();
        try (Connection c = hub.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT status FROM sync_jobs WHERE config_id = ?")) {
            ps.setString(1, configId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
