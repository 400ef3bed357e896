package dev.webhookhub.e2e;

import static dev.webhookhub.e2e.GitWebhookFlowContract.githubBranchPush;
import static dev.webhookhub.e2e.GitWebhookFlowContract.githubHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookhub.support.Await;
import dev.webhookhub.support.TestHub;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP edge under anonymous abuse, over raw sockets: the in-flight body budget, unknown targets refused before
 * their body is read, idle and slow connections closed, and refused requests that cost the store little.
 */
class HttpEdgeLimitsTest {

    private static final int BUDGET = 4 * 1024 * 1024;
    private static final int BODY = 3 * 1024 * 1024;

    @TempDir
    static Path dataDir;
    static TestHub hub;

    @BeforeAll
    static void startHub() {
        hub = TestHub.start(dataDir, Map.of(
                "hub.http.max-inflight-body-bytes", String.valueOf(BUDGET),
                "hub.http.idle-timeout-seconds", "3",
                "hub.http.request-read-timeout-seconds", "2",
                "hub.retention.interval-ms", "300",
                "hub.retention.first-run-delay-ms", "300"));
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void bodiesPastTheBudgetAre503WithRetryAfterAndTheBudgetReturnsToZero() throws Exception {
        String service = hub.createService("budget", "main");
        String secret = hub.issueSecret(service, "github");
        // warm the service cache path: a first delivery for the service
        byte[] push = githubBranchPush("main", "1".repeat(40));
        assertThat(hub.postWebhook("github", service, push, githubHeaders(secret, push, "push",
                UUID.randomUUID().toString())).statusCode()).isEqualTo(202);

        List<Socket> sockets = new ArrayList<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Socket s = connect(20_000);
                sockets.add(s);
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/containers/webhooks/github/" + service + " HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/json\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: big-" + i
                        + "\r\nX-Hub-Signature-256: sha256=00\r\nContent-Length: " + BODY + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[1024]);
                out.flush();
                answers.add(CompletableFuture.supplyAsync(() -> readAnswer(s)));
            }
            Await.until(() -> answers.stream().filter(CompletableFuture::isDone).count() >= 7,
                    Duration.ofSeconds(15), "seven answers");
            List<String> done = answers.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join)
                    .toList();
            assertThat(done).hasSize(7).allSatisfy(a -> {
                assertThat(a).startsWith("HTTP/1.1 503");
                assertThat(a.toLowerCase()).contains("retry-after: 5").contains("content-type: application/json");
                assertThat(a).contains("\"success\":false").contains("\"code\":\"server_busy\"");
            });
            assertThat(inFlight()).isEqualTo(BODY);

            // the one that fits is read to its end and answered (its signature is wrong: 401)
            int held = 0;
            while (answers.get(held).isDone()) {
                held++;
            }
            OutputStream out = sockets.get(held).getOutputStream();
            out.write(new byte[BODY - 1024]);
            out.flush();
            assertThat(answers.get(held).get(15, TimeUnit.SECONDS)).startsWith("HTTP/1.1 401");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        Await.untilAsserted(Duration.ofSeconds(10), () -> assertThat(inFlight()).isZero());

        // a sender that goes away in the middle of its body gives its reservation back too
        try (Socket s = connect(10_000)) {
            s.getOutputStream().write(webhookHead("github/" + service, BODY));
            s.getOutputStream().write(new byte[1024]);
            s.getOutputStream().flush();
            Await.untilAsserted(Duration.ofSeconds(10), () -> assertThat(inFlight()).isEqualTo(BODY));
            s.setSoLinger(true, 0);
        }
        Await.untilAsserted(Duration.ofSeconds(10), () -> assertThat(inFlight()).isZero());

        byte[] next = githubBranchPush("main", "2".repeat(40));
        HttpResponse<String> r = hub.postWebhook("github", service, next, githubHeaders(secret, next, "push",
                UUID.randomUUID().toString()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(hub.admin("GET", "/observe/health", null).statusCode()).isEqualTo(200);
        assertThat(inFlight()).isZero();
    }

    @Test
    void aChunkedBodyIsCountedAndAnsweredNormally() throws Exception {
        try (Socket s = connect(10_000)) {
            OutputStream out = s.getOutputStream();
            byte[] json = "{\"name\":\"chunked\",\"git_repository\":\"https://example.test/c.git\"}"
                    .getBytes(StandardCharsets.US_ASCII);
            out.write(("POST /api/containers/services HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + hub.token()
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(json.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(json);
            out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readAnswer(s)).startsWith("HTTP/1.1 201").contains("\"chunked\"");
        }
        // a chunked body past the budget: 503 once the budget is spent, the rest never read
        try (Socket s = connect(10_000)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/containers/services HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + hub.token()
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1024 * 1024];
            String answer = null;
            try {
                for (int i = 0; i < 6 && s.getInputStream().available() == 0; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException closedByServer) {
                // the server answered and closed while we were still sending
            }
            answer = readAnswer(s);
            assertThat(answer).startsWith("HTTP/1.1 503").contains("server_busy");
        }
        Await.untilAsserted(Duration.ofSeconds(10), () -> assertThat(inFlight()).isZero());
    }

    @Test
    void aLargeBodyForAnUnknownServiceOrProviderIsRefusedBeforeItIsSent() throws Exception {
        double before = unknownCount("github");
        for (String target : List.of("github/no-such-service", "gitea/no-such-service")) {
            try (Socket s = connect(10_000)) {
                OutputStream out = s.getOutputStream();
                out.write(webhookHead(target, 20 * 1024 * 1024));
                out.write(new byte[4096]);
                out.flush();
                String answer = readAnswer(s);
                assertThat(answer).startsWith("HTTP/1.1 404").contains("application/json");
                assertThat(answer).contains(target.startsWith("github") ? "\"code\":\"unknown_service\""
                        : "\"code\":\"unknown_provider\"");
            }
        }
        assertThat(unknownCount("github")).isEqualTo(before + 1);
        assertThat(inFlight()).isZero();
    }

    @Test
    void aSmallBodyAnsweredEarlyIsReadAndDroppedSoItsSenderGetsTheAnswer() throws Exception {
        // a sender that writes its whole body before it reads (as HTTP/1.1 clients do) would often get a connection
        // reset instead of the 404 if the hub closed the connection on the unread rest of the body
        double before = unknownCount("github");
        byte[] body = new byte[256 * 1024];
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = hub.postWebhook("github", "no-such-service", body,
                    Map.of("Content-Type", "application/json", "X-GitHub-Event", "push"));
            assertThat(r.statusCode()).as("request %d: %s", i, r.body()).isEqualTo(404);
            assertThat(r.body()).contains("\"code\":\"unknown_service\"");
        }
        assertThat(unknownCount("github")).isEqualTo(before + 100);
        // the connection stays open for the next request, which gets its own answer
        try (Socket s = connect(10_000)) {
            OutputStream out = s.getOutputStream();
            out.write(webhookHead("github/no-such-service", body.length));
            out.write(body);
            out.write("GET /observe/health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // both answers, in order (they may arrive in one read)
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while (!got.toString(StandardCharsets.ISO_8859_1).contains("\"status\":\"UP\"")
                    && (n = s.getInputStream().read(buf)) >= 0) {
                got.write(buf, 0, n);
            }
            String answers = got.toString(StandardCharsets.ISO_8859_1);
            assertThat(answers).startsWith("HTTP/1.1 404").doesNotContainIgnoringCase("connection: close");
            assertThat(answers.substring(answers.indexOf("unknown_service"))).contains("HTTP/1.1 200");
        }
        // a sender that stops before the end of its body has its connection closed after the read timeout (2 s)
        try (Socket s = connect(10_000)) {
            OutputStream out = s.getOutputStream();
            out.write(webhookHead("github/no-such-service", body.length));
            out.write(body, 0, 1024);
            out.flush();
            long start = System.nanoTime();
            assertThat(readAnswer(s)).startsWith("HTTP/1.1 404");
            assertThat(s.getInputStream().read()).as("closed by the hub").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
        Await.untilAsserted(Duration.ofSeconds(10), () -> assertThat(inFlight()).isZero());
    }

    @Test
    void refusedDeliveriesKeepOnlyASmallPrefixAndUnknownServicesAddNoRows() throws Exception {
        String service = hub.createService("disk", "main");
        String secret = hub.issueSecret(service, "github");
        long rowsBefore = count("SELECT COUNT(*) FROM webhook_deliveries");
        double unknownBefore = unknownCount("github");
        int n = 10;
        for (int size : new int[] { 110, 64 * 1024 }) {
            byte[] body = new byte[size];
            java.util.Arrays.fill(body, (byte) 'x');
            for (int i = 0; i < n; i++) {
                Map<String, String> h = githubHeaders(secret + "wrong", body, "push", UUID.randomUUID().toString());
                assertThat(hub.postWebhook("github", service, body, h).statusCode()).isEqualTo(401);
                assertThat(hub.postWebhook("github", "no-such-" + i, body, h).statusCode()).isEqualTo(404);
            }
        }
        Await.untilAsserted(Duration.ofSeconds(10), () -> assertThat(
                count("SELECT COUNT(*) FROM webhook_deliveries")).isEqualTo(rowsBefore + 2 * n));
        assertThat(count("SELECT COUNT(*) FROM webhook_deliveries WHERE service_id LIKE 'no-such-%'")).isZero();
        assertThat(unknownCount("github")).isEqualTo(unknownBefore + 2 * n);
        // every refused row keeps at most 1 KB of body and a bounded header record
        long payloadBytes = count("SELECT COALESCE(SUM(LENGTH(p.body)), 0) FROM webhook_delivery_payloads p "
                + "JOIN webhook_deliveries d ON d.id = p.delivery_id WHERE d.service_id = '" + service + "'");
        assertThat(payloadBytes).isLessThanOrEqualTo(2L * n * 1024);
        assertThat(count("SELECT COUNT(*) FROM webhook_delivery_payloads p JOIN webhook_deliveries d "
                + "ON d.id = p.delivery_id WHERE d.service_id = '" + service + "' AND p.body_large IS NOT NULL"))
                .isZero();
        assertThat(count("SELECT MAX(LENGTH(headers)) FROM webhook_deliveries WHERE service_id = '" + service + "'"))
                .isLessThan(1024);
        assertThat(count("SELECT COUNT(*) FROM webhook_deliveries WHERE service_id = '" + service
                + "' AND payload_size = " + (64 * 1024) + " AND payload_truncated = TRUE")).isEqualTo(n);
    }

    @Test
    void anIdleConnectionIsClosedByTheServer() throws Exception {
        try (Socket s = connect(15_000)) {
            long start = System.nanoTime();
            assertThat(s.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(2));
        }
        // and after a keep-alive request
        try (Socket s = connect(15_000)) {
            s.getOutputStream().write("GET /observe/health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            int n = in.read(buf);
            assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            while (n >= 0) {
                n = in.read(buf);
            }
        }
    }

    @Test
    void aRequestThatNeverSendsItsWholeBodyIsAnswered408AndClosed() throws Exception {
        try (Socket s = connect(15_000)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/containers/services HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + hub.token()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readAnswer(s);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"");
        }
        Await.untilAsserted(Duration.ofSeconds(10), () -> assertThat(inFlight()).isZero());
    }

    @Test
    void malformedRequestsAreAnswered400AndLoggedBrieflyAtMostOncePerInterval() throws Exception {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.apache.logging.log4j.core.LoggerContext logs =
                (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
        org.apache.logging.log4j.core.appender.AbstractAppender capture =
                new org.apache.logging.log4j.core.appender.AbstractAppender("capture-malformed", null, null, true,
                        org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY) {
                    @Override
                    public void append(org.apache.logging.log4j.core.LogEvent event) {
                        StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " "
                                + event.getMessage().getFormattedMessage());
                        if (event.getThrown() != null) {
                            line.append(" THROWN ").append(event.getThrown());
                        }
                        lines.add(line.toString());
                    }
                };
        capture.start();
        logs.getConfiguration().getRootLogger().addAppender(capture, org.apache.logging.log4j.Level.ALL, null);
        logs.updateLoggers();
        try {
            for (int i = 0; i < 100; i++) {
                try (Socket s = connect(10_000)) {
                    s.getOutputStream().write("GET /x%u002e HTTP/1.1\r\nHost: x\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    String answer = readAnswer(s);
                    assertThat(answer).startsWith("HTTP/1.1 400").contains("\"success\":false");
                    assertThat(answer).doesNotContain("Exception").doesNotContain("\tat ");
                }
            }
        } finally {
            logs.getConfiguration().getRootLogger().removeAppender("capture-malformed");
            logs.updateLoggers();
            capture.stop();
        }
        List<String> hubLines = lines.stream().filter(l -> !l.startsWith("DEBUG") && !l.startsWith("TRACE"))
                .toList();
        assertThat(hubLines).hasSizeLessThanOrEqualTo(2).allSatisfy(l -> {
            assertThat(l).doesNotContain("THROWN");
            assertThat(l.length()).isLessThan(400);
        });
    }

    @Test
    void theRetentionRouteDeletesOldRefusedDeliveries() throws Exception {
        try (Connection c = hub.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO webhook_deliveries (id, provider, service_id, payload_size, payload_truncated, "
                    + "status, response_code, created_at) VALUES ('old-refused', 'github', 'x', 0, FALSE, "
                    + "'rejected', 401, CURRENT_TIMESTAMP - INTERVAL '10' DAY)");
            st.execute("INSERT INTO webhook_deliveries (id, provider, service_id, payload_size, payload_truncated, "
                    + "status, response_code, created_at) VALUES ('new-refused', 'github', 'x', 0, FALSE, "
                    + "'rejected', 401, CURRENT_TIMESTAMP - INTERVAL '1' DAY)");
        }
        Await.untilAsserted(Duration.ofSeconds(10), () -> assertThat(
                count("SELECT COUNT(*) FROM webhook_deliveries WHERE id = 'old-refused'")).isZero());
        assertThat(count("SELECT COUNT(*) FROM webhook_deliveries WHERE id = 'new-refused'")).isEqualTo(1);
    }

    private static Socket connect(int readTimeoutMillis) throws IOException {
        Socket s = new Socket("127.0.0.1", hub.port());
        s.setSoTimeout(readTimeoutMillis);
        return s;
    }

    /** The head of a JSON {@code POST /api/containers/webhooks/<target>} announcing {@code length} bytes of body. */
    static byte[] webhookHead(String target, long length) {
        return ("POST /api/containers/webhooks/" + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Everything the server sends until it closes the connection (or the read times out). */
    static String readAnswer(Socket s) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
                if (complete(got.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            // answer what arrived
        } catch (IOException e) {
            // reset after the answer
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean complete(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(raw.substring(0, end));
        return m.find() && raw.length() - end - 4 >= Integer.parseInt(m.group(1));
    }

    private static String metrics() {
        return hub.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.url("/observe/metrics"))))
                .body();
    }

    static long inFlight() {
        Matcher m = Pattern.compile("(?m)^hub_http_inflight_body_bytes(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics());
        assertThat(m.find()).as("hub_http_inflight_body_bytes in /observe/metrics").isTrue();
        return (long) Double.parseDouble(m.group(2));
    }

    static double unknownCount(String provider) {
        Matcher m = Pattern.compile("(?m)^hub_webhooks_unknown_total\\{[^}]*provider=\"" + provider
                + "\"[^}]*} ([0-9.eE+-]+)$").matcher(metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static long count(String sql) throws Exception {
        try (Connection c = hub.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

}
