package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.notify.NotificationDedupe;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.Mailbox;
import dev.webhookhub.support.Postgres;
import dev.webhookhub.support.Receiver;
import dev.webhookhub.support.TestHub;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hub instances (two camel-main hubs in this JVM, each with its own data directory and instance id) on one
 * PostgreSQL: what must happen once happens once, decided by the database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MAX_JOBS = 2;

    @TempDir
    static Path dirA;
    @TempDir
    static Path dirB;

    static TestHub a;
    static TestHub b;
    static Mailbox mailbox;
    static Receiver receiver;
    static HttpServer slowSource;
    static final AtomicInteger sourceInFlight = new AtomicInteger();
    static final AtomicInteger sourceMaxInFlight = new AtomicInteger();
    static final AtomicLong sourceDelayMs = new AtomicLong(600);

    record Fire(String hub, long scheduledAt) {
    }

    static final List<Fire> fires = new CopyOnWriteArrayList<>();
    static String dbUrl;

    @BeforeAll
    static void startTwoInstances() throws IOException {
        mailbox = Mailbox.onFreePort().start();
        receiver = Receiver.always(200);
        slowSource = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        slowSource.setExecutor(Executors.newCachedThreadPool());
        slowSource.createContext("/items", ex -> {
            sourceMaxInFlight.accumulateAndGet(sourceInFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(sourceDelayMs.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                sourceInFlight.decrementAndGet();
            }
            byte[] out = "{\"items\":[]}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        slowSource.start();

        Map<String, String> s = new HashMap<>(Postgres.freshDatabase());
        dbUrl = s.get("hub.db.url");
        // what instances share besides the database (each has its own data directory and instance id)
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        s.put("hub.secret-key", java.util.Base64.getEncoder().encodeToString(key));
        s.put("hub.notify.smtp.host", "127.0.0.1");
        s.put("hub.notify.smtp.port", String.valueOf(mailbox.port()));
        s.put("hub.notify.smtp.from", "Webhook Hub <hub@example.test>");
        s.put("hub.notify.poll-interval-ms", "50");
        s.put("hub.notify.dedupe-window", "1m");
        s.put("hub.notify.settings-cache-ttl-ms", "0");
        s.put("hub.outbound.poll-interval-ms", "50");
        s.put("hub.outbound.retry-jitter", "0");
        s.put("hub.jobs.max-concurrent", String.valueOf(MAX_JOBS));
        s.put("hub.jobs.poll-interval-ms", "100");
        s.put("hub.cluster.checkin-interval-ms", "1000");
        a = TestHub.start(dirA, s);
        b = TestHub.start(dirB, s);
    }

    @AfterAll
    static void stopAll() {
        for (AutoCloseable c : new AutoCloseable[] { a, b, mailbox, receiver }) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (slowSource != null) {
            slowSource.stop(0);
        }
    }

    /** A route on the hubs' clustered Quartz (the component every single-instance timer uses). */
    static void addTickRoute(TestHub hub, String name) throws Exception {
        hub.context().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("syncquartz:test/tick?trigger.repeatInterval=1000&trigger.repeatCount=-1&stateful=true"
                        + "&deleteJob=false&usingFixedCamelContextName=true")
                        .routeId("test-tick")
                        .process(e -> fires.add(new Fire(name, e.getIn().getHeader("scheduledFireTime", Date.class)
                                .getTime())));
            }
        });
    }

    /** Ticks fired since {@code from}: each scheduled tick once, none missed (1 s apart). */
    static List<Fire> assertOncePerTick(int from) {
        List<Fire> seen = new ArrayList<>(fires.subList(from, fires.size()));
        List<Long> times = seen.stream().map(Fire::scheduledAt).sorted().toList();
        assertThat(times).as("ticks fired: %s", seen).doesNotHaveDuplicates();
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 1)).as("ticks fired: %s", seen).isEqualTo(1000L);
        }
        return seen;
    }

    @Test
    @Order(1)
    void aOneSecondQuartzJobFiresOncePerTickAcrossBothInstances() throws Exception {
        addTickRoute(a, "a");
        addTickRoute(b, "b");
        Await.until(() -> fires.size() >= 6, WAIT, "six ticks");
        assertOncePerTick(0);

        // the hub's own timers are one trigger each in the shared store, and both schedulers are in the cluster
        try (Connection c = a.dataSource().getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT TRIGGER_NAME, COUNT(*) FROM QRTZ_TRIGGERS "
                    + "WHERE TRIGGER_GROUP = 'hub' GROUP BY TRIGGER_NAME")) {
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                    assertThat(rs.getInt(2)).isEqualTo(1);
                }
                assertThat(names).contains("delivery-retention", "delivery-recovery", "sync-retention",
                        "pipeline-run-events");
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(DISTINCT INSTANCE_NAME) FROM QRTZ_SCHEDULER_STATE")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    @Order(2)
    void identicalEventsOnBothInstancesSendOneFoldedEmailAndOneWebhookEach() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> r = a.admin("POST", "/api/notifications", "{\"notification_type\":\"email\","
                + "\"event_triggers\":[\"build_failed\"],\"recipients\":[\"ops-" + marker + "@example.test\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        r = a.admin("POST", "/api/notifications", "{\"notification_type\":\"webhook\","
                + "\"event_triggers\":[\"build_failed\"],\"recipients\":[\"" + receiver.url() + "\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);

        int events = 8;
        for (int i = 0; i < events; i++) {
            // the same failure raised on both instances (distinct commits: distinct messages)
            for (TestHub hub : new TestHub[] { a, b }) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("commit", marker + "c" + i);
                data.put("status", "failure");
                data.put("branch", "main");
                hub.context().getRegistry().lookupByNameAndType("eventBus", EventBus.class).publish("build_failed",
                        "pipeline:jenkins/cluster-" + marker, "cluster-" + marker, null, null, data);
            }
        }
        Await.until(() -> folded(a) + folded(b) >= events, WAIT, events + " events folded");
        mailbox.await("cluster-" + marker, events, WAIT);
        Await.until(() -> requestsFor(marker) >= events, WAIT, events + " webhooks received");
        // both instances poll the outboxes every 50 ms: wait until every row is finished, then count again
        Await.until(() -> count(a, "SELECT COUNT(*) FROM notification_messages WHERE subject LIKE '%" + marker
                + "%' AND status = 'sent'") == events, WAIT, "e-mails sent");
        Await.until(() -> count(a, "SELECT COUNT(*) FROM outbound_messages WHERE status = 'delivered'") >= events,
                WAIT, "webhooks delivered");
        assertThat(folded(a) + folded(b)).isEqualTo(events);
        assertThat(mailbox.withSubject("cluster-" + marker)).hasSize(events);
        assertThat(requestsFor(marker)).isEqualTo(events);
        assertThat(count(a, "SELECT COUNT(*) FROM notification_messages WHERE subject LIKE '%" + marker + "%'"))
                .isEqualTo(events);
    }

    @Test
    @Order(3)
    void theJobCapHoldsAcrossInstances() throws Exception {
        sourceMaxInFlight.set(0);
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TestHub hub = i % 2 == 0 ? a : b;
            String config = createSlowConfig(hub, "cap-" + i);
            jobs.add(queue(hub, config));
        }
        for (String job : jobs) {
            JsonNode j = awaitJob(b, job);
            assertThat(j.get("status").asText()).as(j.toString()).isEqualTo("completed");
        }
        assertThat(sourceMaxInFlight.get()).as("sync jobs running at once over both instances")
                .isEqualTo(MAX_JOBS);
    }

    @Test
    @Order(4)
    void aGracefulStopHandsItsJobAndItsTicksToTheOtherInstance() throws Exception {
        sourceDelayMs.set(2500);
        String config = createSlowConfig(a, "handover");
        sourceInFlight.set(0);
        String job = queue(a, config);
        Await.until(() -> sourceInFlight.get() == 1 && "running".equals(jobStatus(a, job).path("status").asText()),
                WAIT, "the job running");
        sourceDelayMs.set(300);
        a.close(); // the rolling restart's stop: its running job is handed back, its ticks go on elsewhere
        int firesAtStop = fires.size();
        a = null;

        JsonNode j = awaitJob(b, job);
        assertThat(j.get("status").asText()).as(j.toString()).isEqualTo("completed");
        assertThat(j.get("runs").asInt()).isEqualTo(2);

        Await.until(() -> fires.size() >= firesAtStop + 3, WAIT, "three ticks after the stop");
        List<Fire> after = assertOncePerTick(firesAtStop);
        assertThat(after).allSatisfy(f -> assertThat(f.hub()).isEqualTo("b"));
        HttpResponse<String> ready = b.admin("GET", "/observe/health/ready", null);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void anInstanceThatLosesTheDatabaseIsNotReadyUntilItIsBack() throws Exception {
        String db = dbUrl.substring(dbUrl.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        try (Connection admin = Postgres.server().getPostgresDatabase().getConnection();
                Statement st = admin.createStatement()) {
            st.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "'");
            try {
                Await.untilAsserted(WAIT, () -> {
                    HttpResponse<String> r = b.admin("GET", "/observe/health/ready", null);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                    assertThat(r.body()).contains("DOWN");
                });
            } finally {
                st.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
            }
        }
        Await.untilAsserted(WAIT, () -> {
            HttpResponse<String> r = b.admin("GET", "/observe/health/ready", null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        });
    }

    // ---- helpers

    static long folded(TestHub hub) {
        return hub.context().getRegistry().lookupByNameAndType("notificationDedupe", NotificationDedupe.class)
                .folded();
    }

    static long requestsFor(String marker) {
        return receiver.requests().stream()
                .filter(q -> new String(q.body(), StandardCharsets.UTF_8).contains(marker)).count();
    }

    static int count(TestHub hub, String sql) {
        try (Connection c = hub.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String createSlowConfig(TestHub hub, String name) {
        HttpResponse<String> r = hub.admin("POST", "/api/sync-configs", "{\"name\":\"" + name + "-"
                + UUID.randomUUID().toString().substring(0, 6) + "\",\"source\":{\"type\":\"http-json\",\"url\":"
                + "\"http://127.0.0.1:" + slowSource.getAddress().getPort() + "/items\",\"items\":\"$.items\"},"
                + "\"target\":{\"type\":\"sql\",\"table\":\"synced_items\",\"key\":[\"id\"]}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestHub.json(r).get("id").asText();
    }

    static String queue(TestHub hub, String config) {
        HttpResponse<String> r = hub.admin("POST", "/api/jobs/queue/" + config, "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return TestHub.json(r).get("job_id").asText();
    }

    static JsonNode jobStatus(TestHub hub, String job) {
        HttpResponse<String> r = hub.admin("GET", "/api/jobs/status/" + job, null);
        return r.statusCode() == 200 ? TestHub.json(r).path("job") : TestHub.MAPPER.createObjectNode();
    }

    static JsonNode awaitJob(TestHub hub, String job) {
        Await.until(() -> {
            String st = jobStatus(hub, job).path("status").asText();
            return st.equals("completed") || st.equals("failed");
        }, WAIT, "job " + job + " finished");
        return jobStatus(hub, job);
    }
}
