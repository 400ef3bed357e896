package dev.webhookhub.e2e;

import static dev.webhookhub.e2e.GitWebhookFlowContract.githubBranchPush;
import static dev.webhookhub.e2e.GitWebhookFlowContract.githubHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookhub.support.Await;
import dev.webhookhub.support.TestHub;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cleartext HTTP/2 (h2c), by upgrade and with prior knowledge: the hub's frames are well-formed, deliveries are
 * taken over it, and a request answered before its body was read does not hold up the others on its connection.
 * The rest of the suite speaks HTTP/1.1 (see {@link TestHub#httpClient()}).
 */
class Http2Test {

    private static final int BUDGET = 1024 * 1024;
    private static final int MAX_BODY = 2 * 1024 * 1024;

    @TempDir
    static Path dataDir;
    static TestHub hub;
    static Vertx vertx;

    @BeforeAll
    static void start() {
        hub = TestHub.start(dataDir, Map.of(
                "hub.http.max-inflight-body-bytes", String.valueOf(BUDGET),
                "camel.server.max-body-size", String.valueOf(MAX_BODY)));
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void theFramesAfterAnUpgradeAreWellFormed() throws Exception {
        // /observe/metrics answers tens of KB: more than the connection's first flow-control window, so the
        // answer runs on after the client's WINDOW_UPDATE, as it does for the JDK client that misreads it
        for (int i = 0; i < 200; i++) {
            String metrics = upgradeAndRead("/observe/metrics");
            assertThat(metrics).as("upgrade %d", i).contains("hub_http_inflight_body_bytes").endsWith("\n");
            assertThat(metrics.length()).as("larger than the first flow-control window, as this test needs")
                    .isGreaterThan(65_535);
        }
    }

    @Test
    void deliveriesAndEarlyAnswersShareOneConnectionWithPriorKnowledge() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        List<Throwable> connectionErrors = new CopyOnWriteArrayList<>();
        HttpClient h2 = client(false, connections, connectionErrors);
        String service = hub.createService("h2-prior", "main");
        String secret = hub.issueSecret(service, "github");
        String receiver = "/api/containers/webhooks/github/" + service;

        assertThat(delivery(h2, receiver, secret, "1")).isEqualTo("202 HTTP_2");
        // bodies the hub answers before reading them, each larger than the connection's flow-control window
        // (64 KB): left unread, their rest would stall the next request on the connection
        assertThat(answer(h2, HttpMethod.POST, "/api/containers/webhooks/github/no-such-service",
                new byte[BUDGET / 2])).startsWith("404 HTTP_2").contains("\"code\":\"unknown_service\"");
        assertThat(delivery(h2, receiver, secret, "2")).isEqualTo("202 HTTP_2");
        assertThat(answer(h2, HttpMethod.POST, "/api/containers/services", new byte[BUDGET + 1024]))
                .startsWith("503 HTTP_2").contains("\"code\":\"server_busy\"");
        assertThat(delivery(h2, receiver, secret, "3")).isEqualTo("202 HTTP_2");
        assertThat(answer(h2, HttpMethod.POST, "/api/containers/services", new byte[MAX_BODY + 1024]))
                .startsWith("413 HTTP_2");
        assertThat(delivery(h2, receiver, secret, "4")).isEqualTo("202 HTTP_2");

        assertThat(connections).hasValue(1);
        assertThat(connectionErrors).isEmpty();
        Await.untilAsserted(Duration.ofSeconds(10), () -> assertThat(storedFor(service)).isEqualTo(4));
        h2.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aClientThatUpgradesKeepsTheConnectionForItsDeliveries() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        List<Throwable> connectionErrors = new CopyOnWriteArrayList<>();
        HttpClient h2 = client(true, connections, connectionErrors);
        String service = hub.createService("h2-upgrade", "main");
        String secret = hub.issueSecret(service, "github");
        String receiver = "/api/containers/webhooks/github/" + service;

        assertThat(answer(h2, HttpMethod.GET, "/observe/health/live", null)).startsWith("200 HTTP_2");
        assertThat(delivery(h2, receiver, secret, "1")).isEqualTo("202 HTTP_2");
        assertThat(delivery(h2, receiver, secret, "2")).isEqualTo("202 HTTP_2");
        assertThat(connections).hasValue(1);
        assertThat(connectionErrors).isEmpty();
        Await.untilAsserted(Duration.ofSeconds(10), () -> assertThat(storedFor(service)).isEqualTo(2));
        h2.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** An HTTP/2 client with one connection at most; counts its connections and keeps their errors. */
    private static HttpClient client(boolean upgrade, AtomicInteger connections, List<Throwable> errors) {
        return vertx.httpClientBuilder()
                .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(upgrade)
                        .setDefaultHost("127.0.0.1").setDefaultPort(hub.port()))
                .with(new PoolOptions().setHttp2MaxSize(1))
                .withConnectHandler(connection -> {
                    connections.incrementAndGet();
                    // else Vert.x logs them at ERROR, the closed channel of the client's own close among them
                    connection.exceptionHandler(errors::add);
                })
                .build();
    }

    private static String delivery(HttpClient client, String path, String secret, String n) throws Exception {
        byte[] body = githubBranchPush("main", n.repeat(40));
        Map<String, String> headers = githubHeaders(secret, body, "push", UUID.randomUUID().toString());
        String answer = exchange(client, HttpMethod.POST, path, headers, body);
        return answer.substring(0, answer.indexOf('\n'));
    }

    private static String answer(HttpClient client, HttpMethod method, String path, byte[] body) throws Exception {
        return exchange(client, method, path, Map.of("Authorization", "Bearer " + hub.token(),
                "Content-Type", "application/json"), body).replaceFirst("\n", " ");
    }

    /** "status version\nbody", within 20 s. */
    private static String exchange(HttpClient client, HttpMethod method, String path, Map<String, String> headers,
            byte[] body) throws Exception {
        Future<String> answer = client.request(method, path).compose(request -> {
            headers.forEach(request::putHeader);
            return body == null ? request.send() : request.send(Buffer.buffer(body));
        }).compose(response -> response.body()
                .map(b -> response.statusCode() + " " + response.version() + "\n" + b.toString()));
        return answer.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static long storedFor(String service) throws Exception {
        try (Connection c = hub.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT COUNT(*) FROM webhook_deliveries WHERE service_id = ? AND response_code = 202")) {
            st.setString(1, service);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Upgrades a new connection to h2c with {@code GET path} as JDK 17's client does (its settings, then its
     * preface, SETTINGS and connection WINDOW_UPDATE), and reads every frame strictly: none over the 16 KB
     * maximum frame size, none of an unknown type, stream 1's DATA until END_STREAM. Returns that DATA.
     */
    private static String upgradeAndRead(String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", hub.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + hub.port() + "\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\nContent-Length: 0\r\n"
                    + "HTTP2-Settings: AAEAAEAAAAIAAAAAAAMAAAAAAAQBAAAAAAUAAEAAAAYABgAA\r\nUpgrade: h2c\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101 ").containsIgnoringCase("upgrade: h2c");
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(frame(4, 0, 0, new byte[0]));
            out.write(frame(8, 0, 0, ByteBuffer.allocate(4).putInt((1 << 24) - 65_535).array()));
            out.flush();
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            boolean headers = false;
            while (true) {
                int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fff_ffff;
                assertThat(length).as("frame length (type %d) after %d bytes of DATA", type, data.size())
                        .isLessThanOrEqualTo(16_384);
                assertThat(type).as("frame type after %d bytes of DATA", data.size()).isBetween(0, 9);
                byte[] payload = in.readNBytes(length);
                assertThat(payload).hasSize(length);
                assertThat(type).as("GOAWAY").isNotEqualTo(7);
                if (type == 4 && (flags & 1) == 0) {
                    out.write(frame(4, 1, 0, new byte[0]));
                    out.flush();
                }
                if (stream == 1 && type == 1) {
                    headers = true;
                }
                if (stream == 1 && type == 0) {
                    assertThat(headers).as("HEADERS before DATA").isTrue();
                    data.write(payload);
                }
                if (stream == 1 && (type == 0 || type == 1) && (flags & 1) != 0) {
                    return data.toString(StandardCharsets.UTF_8);
                }
            }
        }
    }

    private static byte[] frame(int type, int flags, int stream, byte[] payload) {
        return ByteBuffer.allocate(9 + payload.length).put((byte) (payload.length >>> 16))
                .put((byte) (payload.length >>> 8)).put((byte) payload.length).put((byte) type).put((byte) flags)
                .putInt(stream).put(payload).array();
    }
}
