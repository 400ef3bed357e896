package dev.webhookhub.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.KafkaBroker;
import dev.webhookhub.support.Postgres;
import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scaled mode end to end with real engines in this JVM: two hubs on one PostgreSQL (zonky) and one KRaft broker
 * (support/KafkaBroker). Deliveries are spread over both; each is accepted once, processed once (one deployment),
 * in order per service, through the outbox and the Kafka topics, across a broker outage and an instance stopped
 * mid-stream. Also the events output and the kafka sync target.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaModeTest {

    static final Duration WAIT = Duration.ofSeconds(40);
    static final String EVENTS_TOPIC = "hub.events.out";
    /** Deliveries per service in (a), over 20 services: 2,000 in all (-Dkafka.mode.per-service=25: 500). */
    static final int PER_SERVICE = Integer.getInteger("kafka.mode.per-service", 100);
    static final int OUTAGE = 20;
    static final String CLIENT_ID = "kafka-mode-test-client";

    @TempDir
    static Path dir;
    static KafkaBroker broker;
    static TestHub a;
    static TestHub b;
    static final Map<String, String> secrets = new ConcurrentHashMap<>();
    static final List<String> services = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start(dir);
        Map<String, String> shared = new HashMap<>(Postgres.freshDatabase());
        shared.put("hub.admin-token", "kafka-mode-test-admin-token-" + UUID.randomUUID());
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        shared.put("hub.secret-key", Base64.getEncoder().encodeToString(key));
        shared.put("hub.kafka.bootstrap-servers", broker.bootstrapServers());
        shared.put("hub.kafka.events-topic", EVENTS_TOPIC);
        shared.put("hub.kafka.events-types", "webhook_received");
        shared.put("hub.kafka.send-timeout-ms", "3000");
        shared.put("hub.kafka.outbox-poll-ms", "200");
        // a client settings file (HUB_KAFKA_CLIENT_CONFIG), here with a setting one can see from the broker
        Path clientConfig = dir.resolve("kafka-client.properties");
        java.nio.file.Files.writeString(clientConfig, "client.id=" + CLIENT_ID + "\n");
        shared.put("hub.kafka.client-config", clientConfig.toString());
        // one after the other (started in the same millisecond, two Quartz schedulers in one JVM get one JMX name)
        a = TestHub.start(dir.resolve("a"), shared);
        b = TestHub.start(dir.resolve("b"), shared);
        for (int i = 0; i < 20; i++) {
            String id = a.createService("svc-" + i, "main");
            services.add(id);
            secrets.put(id, a.issueSecret(id, "github"));
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] { a, b, broker }) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the next one still closes
            }
        }
    }

    // ---- (a) many deliveries over both instances

    @Test
    @Order(1)
    void deliveriesSpreadOverTwoInstancesAreEachProcessedOnceInOrderPerService() throws Exception {
        int perService = PER_SERVICE;
        long started = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(services.size());
        List<Future<Integer>> sent = new ArrayList<>();
        for (int s = 0; s < services.size(); s++) {
            int si = s;
            sent.add(senders.submit(() -> {
                int accepted = 0;
                for (int n = 0; n < perService; n++) {
                    // one service's deliveries one after the other, alternating instances
                    TestHub to = (n + si) % 2 == 0 ? a : b;
                    HttpResponse<String> r = push(to, services.get(si), sha(1, si, n), UUID.randomUUID().toString());
                    if (r.statusCode() == 202 && r.body().contains("\"accepted\"")) {
                        accepted++;
                    }
                }
                return accepted;
            }));
        }
        int accepted = 0;
        for (Future<Integer> f : sent) {
            accepted += f.get();
        }
        senders.shutdown();
        long acceptedMs = (System.nanoTime() - started) / 1_000_000;
        int total = services.size() * perService;
        assertThat(accepted).isEqualTo(total);

        Await.until(() -> count("SELECT COUNT(*) FROM deployments WHERE commit_sha LIKE 'a1%'") == total, WAIT,
                "a deployment for every delivery");
        long processedMs = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("kafka mode: %d deliveries accepted in %d ms, all processed after %d ms%n", total,
                acceptedMs, processedMs);

        assertThat(count("SELECT COUNT(DISTINCT delivery_id) FROM deployments WHERE commit_sha LIKE 'a1%'"))
                .isEqualTo(total);
        assertThat(count("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'accepted'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM kafka_outbox")).isZero();
        // in order per service: the deployments' ids are time-ordered, their commits numbered as sent
        for (int s = 0; s < services.size(); s++) {
            List<String> shas = strings("SELECT commit_sha FROM deployments WHERE service_id = '" + services.get(s)
                    + "' AND commit_sha LIKE 'a1%' ORDER BY created_at, id");
            List<String> expected = new ArrayList<>();
            for (int n = 0; n < perService; n++) {
                expected.add(sha(1, s, n));
            }
            assertThat(shas).as("service %d", s).containsExactlyElementsOf(expected);
        }
        assertThat(relay(a).published() + relay(b).published()).isGreaterThanOrEqualTo(total);
        // the delivery consumers took the client settings file
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            var members = admin.describeConsumerGroups(List.of("webhook-hub")).all().get().get("webhook-hub")
                    .members();
            assertThat(members).isNotEmpty().allSatisfy(m -> assertThat(m.clientId()).isEqualTo(CLIENT_ID));
        }
        // each instance's dashboard live stream sees the events of both (the bus-events topic), not only its own
        for (TestHub hub : List.of(a, b)) {
            ManagedRouteMBean live = hub.context().getCamelContextExtension()
                    .getContextPlugin(ManagedCamelContext.class).getManagedRoute("dashboard-live-events");
            Await.until(() -> live.getExchangesCompleted() >= total, WAIT, "every webhook_received event on the"
                    + " live stream of each instance");
        }
    }

    // ---- (b) Kafka away for a while

    @Test
    @Order(2)
    void withKafkaStoppedDeliveriesAreStillAcceptedAndArePublishedWhenItReturns() throws Exception {
        broker.stop();
        try {
            List<String> ids = new ArrayList<>();
            for (int n = 0; n < OUTAGE; n++) {
                HttpResponse<String> r = push(n % 2 == 0 ? a : b, services.get(0), sha(2, 0, n),
                        UUID.randomUUID().toString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                ids.add(TestHub.json(r).get("deliveryId").asText());
            }
            assertThat(count("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'accepted'")).isEqualTo(OUTAGE);
            assertThat(count("SELECT COUNT(*) FROM kafka_outbox")).isEqualTo(OUTAGE);
            // readiness: both instances are out of service while Kafka is away
            Await.until(() -> ready(a) == 503 && ready(b) == 503, WAIT, "both instances not ready");
            assertThat(a.send(HttpRequest.newBuilder(URI.create(a.url("/observe/health/ready")))).body())
                    .contains("kafka");
        } finally {
            broker.start();
        }
        Await.until(() -> count("SELECT COUNT(*) FROM deployments WHERE commit_sha LIKE 'a2%'") == OUTAGE, WAIT,
                "the deliveries of the outage processed");
        assertThat(count("SELECT COUNT(*) FROM kafka_outbox")).isZero();
        assertThat(count("SELECT COUNT(DISTINCT delivery_id) FROM deployments WHERE commit_sha LIKE 'a2%'"))
                .isEqualTo(OUTAGE);
        List<String> shas = strings("SELECT commit_sha FROM deployments WHERE commit_sha LIKE 'a2%' "
                + "ORDER BY created_at, id");
        for (int n = 0; n < OUTAGE; n++) {
            assertThat(shas.get(n)).isEqualTo(sha(2, 0, n));
        }
        Await.until(() -> ready(a) == 200 && ready(b) == 200, WAIT, "both instances ready again");
    }

    // ---- the recovery sweep in scaled mode

    @Test
    @Order(3)
    void theRecoverySweepPutsAnUnprocessedDeliveryBackThroughTheOutbox() throws Exception {
        // a delivery accepted but never worked (as after a lost record): its deployment gone, its status accepted
        List<String> row = strings("SELECT id FROM webhook_deliveries WHERE provider = 'github' AND status = "
                + "'processed' AND service_id = '" + services.get(0) + "' ORDER BY created_at FETCH FIRST 1 ROWS ONLY");
        String id = row.get(0);
        execute("DELETE FROM deployments WHERE delivery_id = '" + id + "'");
        execute("UPDATE webhook_deliveries SET status = 'accepted' WHERE id = '" + id + "'");
        String event = strings("SELECT event FROM webhook_deliveries WHERE id = '" + id + "'").get(0);
        Map<String, Object> found = new HashMap<>();
        found.put("id", id);
        found.put("provider", "github");
        found.put("event", event);
        // what delivery-recovery.yaml's sweep hands on (its SQL needs the delivery to be a minute old)
        a.context().createProducerTemplate().sendBody("direct:requeue-deliveries", List.of(found));
        Await.until(() -> count("SELECT COUNT(*) FROM deployments WHERE delivery_id = '" + id + "'") == 1
                && count("SELECT COUNT(*) FROM webhook_deliveries WHERE id = '" + id + "' AND status = 'processed'")
                == 1, WAIT, "the recovered delivery worked again");
        assertThat(count("SELECT COUNT(*) FROM kafka_outbox")).isZero();
    }

    // ---- (d) the events output

    @Test
    @Order(4)
    void busEventsArePublishedAsCloudEvents() throws Exception {
        // partitions are read in no particular order: wait for every first-stream push, not for a count of records
        List<ConsumerRecord<String, String>> records = consume(EVENTS_TOPIC,
                list -> list.stream().filter(r -> r.value().contains("\"commit\":\"a1")).count()
                        >= (long) services.size() * PER_SERVICE);
        assertThat(records).allSatisfy(r -> {
            assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(r, "ce_type")).isEqualTo("webhook_received");
            assertThat(header(r, "ce_id")).isNotBlank();
            assertThat(header(r, "ce_source")).isEqualTo("/webhook-hub/events");
            assertThat(header(r, "ce_time")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(header(r, "content-type")).isEqualTo("application/json");
        });
        ConsumerRecord<String, String> first = records.stream()
                .filter(r -> services.get(3).equals(r.key())).findFirst().orElseThrow();
        assertThat(header(first, "ce_hubserviceid")).isEqualTo(services.get(3));
        assertThat(header(first, "ce_subject")).isEqualTo("svc-3");
        JsonNode data = TestHub.MAPPER.readTree(first.value());
        assertThat(data.get("commit").asText()).startsWith("a1");
        assertThat(data.get("status").asText()).isEqualTo("deployment pending");
        // each processed delivery announced once (the two instances publish what each worked, so events of one
        // service are in order only while one instance works its partition)
        List<String> commits = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            if (services.get(3).equals(r.key())) {
                String c = TestHub.MAPPER.readTree(r.value()).get("commit").asText();
                if (c.startsWith("a1")) {
                    commits.add(c);
                }
            }
        }
        assertThat(commits).hasSize(PER_SERVICE).doesNotHaveDuplicates();
    }

    // ---- (e) the kafka sync target

    @Test
    @Order(5)
    void theKafkaSyncTargetWritesEachItemAsARecord() throws Exception {
        String table = "kafka_items_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String topic = "sync." + table;
        execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, title VARCHAR(50), team VARCHAR(20))");
        execute("INSERT INTO " + table + " VALUES (1, 'one', 'red'), (2, 'two', 'blue'), (3, 'three', 'red')");
        HttpResponse<String> created = b.admin("POST", "/api/sync-configs", "{\"name\":\"to kafka\",\"source\":"
                + "{\"type\":\"sql\",\"query\":\"SELECT id, title, team FROM " + table + " ORDER BY id\"},"
                + "\"target\":{\"type\":\"kafka\",\"topic\":\"" + topic + "\",\"key_field\":\"team\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String configId = TestHub.json(created).get("id").asText();
        HttpResponse<String> queued = b.admin("POST", "/api/jobs/queue/" + configId, "{}");
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        String jobId = TestHub.json(queued).get("job_id").asText();
        Await.until(() -> {
            String s = TestHub.json(b.admin("GET", "/api/jobs/status/" + jobId, null)).get("job").get("status")
                    .asText();
            return s.equals("completed") || s.equals("failed");
        }, WAIT, "the sync job finished");
        JsonNode job = TestHub.json(b.admin("GET", "/api/jobs/status/" + jobId, null)).get("job");
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("completed");
        assertThat(job.get("result").get("created").asInt()).as(job.toString()).isEqualTo(3);

        List<ConsumerRecord<String, String>> records = consume(topic, list -> list.size() >= 3);
        assertThat(records).hasSize(3);
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("red", "blue", "red");
        assertThat(records).allSatisfy(r -> {
            assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(r, "ce_type")).isEqualTo("sync.item.created");
            assertThat(header(r, "ce_source")).isEqualTo("/webhook-hub/sync");
            assertThat(header(r, "content-type")).isEqualTo("application/json");
        });
        assertThat(records).extracting(r -> header(r, "ce_subject")).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(records).extracting(r -> TestHub.MAPPER.readTree(r.value()).get("title").asText())
                .containsExactlyInAnyOrder("one", "two", "three");
    }

    // ---- registered webhooks through their topic

    @Test
    @Order(6)
    void registeredWebhookDeliveriesGoThroughTheirTopicKeyedBySyncConfig() throws Exception {
        String configId = a.createSyncConfig("webhook-jobs");
        HttpResponse<String> reg = a.admin("POST", "/api/webhooks/register", "{\"name\":\"devops\","
                + "\"sync_config_id\":\"" + configId + "\",\"connector_id\":1,\"event_types\":[]}");
        assertThat(reg.statusCode()).as(reg.body()).isEqualTo(201);
        JsonNode w = TestHub.json(reg).get("webhook");
        for (int n = 0; n < 4; n++) {
            byte[] body = ("{\"eventType\":\"workitem.updated\",\"id\":\"" + UUID.randomUUID()
                    + "\",\"resource\":{\"id\":" + n + "}}").getBytes(StandardCharsets.UTF_8);
            TestHub to = n % 2 == 0 ? a : b;
            HttpResponse<String> r = to.send(HttpRequest.newBuilder(URI.create(to.url("/api/webhooks/receive/"
                    + w.get("webhook_url").asText()))).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", "application/json")
                    .header("X-Hub-Signature-256", Signatures.githubSha256(w.get("secret").asText(), body)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
        Await.until(() -> count("SELECT COUNT(*) FROM webhook_deliveries WHERE provider = 'webhook' AND service_id = '"
                + w.get("id").asText() + "' AND status IN ('processed', 'failed')") == 4, WAIT,
                "the webhook deliveries worked");
        List<ConsumerRecord<String, String>> records = consume("hub.webhook-events", list -> list.size() >= 4);
        assertThat(records).hasSize(4).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(configId);
            assertThat(header(r, "ce_type")).isEqualTo("webhook.received");
            assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
        });
    }

    // ---- (c) one instance stopped mid-stream

    @Test
    @Order(7)
    void anInstanceStoppedMidStreamLosesNothingAndDoesNothingTwice() throws Exception {
        int total = 400;
        AtomicBoolean aDown = new AtomicBoolean();
        AtomicInteger acceptedByA = new AtomicInteger();
        List<String> deliveryIds = new ArrayList<>();
        for (int n = 0; n < total; n++) {
            deliveryIds.add(UUID.randomUUID().toString());
        }
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<Future<?>> sent = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int ti = t;
            sent.add(senders.submit(() -> {
                for (int n = ti; n < total; n += 8) {
                    String service = services.get(n % services.size());
                    // a load balancer's view: A while it answers, then B; a failed attempt is retried on B
                    // with the same delivery id, as the sender would
                    HttpResponse<String> r = null;
                    if (!aDown.get() && n % 2 == 0) {
                        try {
                            r = push(a, service, sha(3, 0, n), deliveryIds.get(n));
                            if (r.statusCode() == 202) {
                                acceptedByA.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            r = null;
                        }
                    }
                    if (r == null || r.statusCode() >= 500) {
                        r = push(b, service, sha(3, 0, n), deliveryIds.get(n));
                    }
                    if (r.statusCode() != 202 && r.statusCode() != 200) {
                        throw new AssertionError(r.statusCode() + " " + r.body());
                    }
                }
                return null;
            }));
        }
        Await.until(() -> acceptedByA.get() >= 60, WAIT, "A took part of the stream");
        a.context().getShutdownStrategy().setTimeout(1);
        a.context().getShutdownStrategy().setShutdownNowOnTimeout(true);
        aDown.set(true);
        a.close();
        for (Future<?> f : sent) {
            f.get();
        }
        senders.shutdown();

        DataSource ds = b.dataSource();
        Await.until(() -> count(ds, "SELECT COUNT(*) FROM deployments WHERE commit_sha LIKE 'a3%'") == total, WAIT,
                "every delivery of the stream processed");
        assertThat(count(ds, "SELECT COUNT(DISTINCT delivery_id) FROM deployments WHERE commit_sha LIKE 'a3%'"))
                .isEqualTo(total);
        assertThat(count(ds, "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'accepted'")).isZero();
        assertThat(count(ds, "SELECT COUNT(*) FROM kafka_outbox")).isZero();
        // each sender delivery id was taken in once (a retry after A went away is a duplicate, not a second row)
        assertThat(count(ds, "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'processed' AND delivery_id IN ("
                + String.join(",", deliveryIds.stream().map(id -> "'" + id + "'").toList()) + ")")).isEqualTo(total);
        assertThat(acceptedByA.get()).isLessThan(total);
    }

    // ---- a graceful stop

    @Test
    @Order(8)
    void aGracefulStopLeavesEveryWorkedRecordCommitted() throws Exception {
        TestHub last = b;
        b = null;
        last.close();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("webhook-hub")
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
            assertThat(committed.keySet()).extracting(TopicPartition::topic).contains("hub.git-events");
            long records = 0;
            for (TopicPartition tp : committed.keySet()) {
                assertThat(committed.get(tp).offset()).as(tp.toString()).isEqualTo(ends.get(tp).offset());
                records += ends.get(tp).offset();
            }
            // every delivery of (a), (b) and (c) was published, some more than once (republished, never lost)
            assertThat(records).isGreaterThanOrEqualTo(services.size() * PER_SERVICE + OUTAGE + 400L);
        }
    }

    // ---- helpers

    static DeliveryOutboxRelay relay(TestHub hub) {
        return hub.context().getRegistry().lookupByNameAndType("kafkaOutboxRelay", DeliveryOutboxRelay.class);
    }

    static String sha(int round, int service, int n) {
        return String.format("a%d%02d%05d", round, service, n) + "0".repeat(31);
    }

    static HttpResponse<String> push(TestHub hub, String serviceId, String sha, String deliveryId) {
        byte[] body = ("{\"ref\":\"refs/heads/main\",\"after\":\"" + sha + "\",\"repository\":{\"html_url\":"
                + "\"https://example.test/r\"},\"head_commit\":{\"id\":\"" + sha + "\",\"message\":\"change "
                + sha + "\",\"author\":{\"name\":\"Ann\"}}}").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-GitHub-Event", "push");
        headers.put("X-GitHub-Delivery", deliveryId);
        headers.put("X-Hub-Signature-256", Signatures.githubSha256(secrets.get(serviceId), body));
        return hub.postWebhook("github", serviceId, body, headers);
    }

    static int ready(TestHub hub) {
        try {
            return hub.send(HttpRequest.newBuilder(URI.create(hub.url("/observe/health/ready")))).statusCode();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    static long count(String sql) {
        return count(b.dataSource(), sql);
    }

    static long count(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> strings(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = b.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static void execute(String sql) throws Exception {
        try (Connection c = b.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Reads {@code topic} from the start until {@code enough} holds (or the wait is over). */
    static List<ConsumerRecord<String, String>> consume(String topic,
            java.util.function.Predicate<List<ConsumerRecord<String, String>>> enough) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("group.id", "test-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long until = System.nanoTime() + WAIT.toNanos();
            while (!enough.test(out) && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
