package dev.webhookhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.HubMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/** The real hub (camel-main, YAML routes from routes/, config/application.properties) on a free port. */
public final class TestHub implements AutoCloseable {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = httpClient().build();

    private final Main main;
    private final int port;
    private final String token;

    private TestHub(Main main, int port, String token) {
        this.main = main;
        this.port = port;
        this.token = token;
    }

    /** Starts a hub whose store is an H2 file in {@code dataDir}. */
    public static TestHub start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    public static TestHub start(Path dataDir, Map<String, String> extra) {
        int port = freePort();
        String token = "test-admin-" + UUID.randomUUID();
        Map<String, String> overrides = new HashMap<>();
        overrides.put("camel.server.port", String.valueOf(port));
        overrides.put("camel.management.port", String.valueOf(port));
        overrides.put("hub.data-dir", dataDir.toString());
        overrides.put("hub.admin-token", token);
        // every test client is 127.0.0.1: tests that present wrong credentials must not lock the others out
        // (ManagementAuthLimitsTest sets its own limit)
        overrides.put("hub.auth.failure-limit", "1000");
        // local receivers: loopback is refused by default; a test may set "" to get the default (no network allowed)
        overrides.put("hub.outbound.allowed-networks", "127.0.0.0/8,::1/128");
        overrides.put("camel.main.routes-include-pattern", "file:" + projectDir().resolve("routes") + "/*.yaml,"
                + "file:" + projectDir().resolve("routes") + "/connectors/*.yaml");
        overrides.putAll(extra);
        Main main = HubMain.create(Map.of("HUB_CONFIG_DIR", projectDir().resolve("config").toString()), overrides);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("hub did not start", e);
        }
        return new TestHub(main, port, overrides.get("hub.admin-token"));
    }

    /**
     * The JDK client for tests, on HTTP/1.1 as webhook senders, browsers and curl speak it. Left at its default it
     * upgrades each new connection to h2c, and JDK 17's upgrade misreads the frames after the 101 about once in 200
     * upgrades whose answer is tens of KB (a ProtocolException naming a frame size made of body text), while the
     * hub's bytes are well-formed ({@code Http2Test} reads them raw). HTTP/2 is tested there, with a client that
     * gets it right.
     */
    public static HttpClient.Builder httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
    }

    public static Path projectDir() {
        return Path.of(System.getProperty("hub.project.dir", ".")).toAbsolutePath().normalize();
    }

    public static Path samples() {
        Path p = projectDir().resolve("../shared/provider-samples").normalize();
        return p.toFile().isDirectory() ? p : Path.of("/work/shared/provider-samples");
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public DataSource dataSource() {
        return context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    }

    /** The hub's reader of stored delivery bodies, wherever they are kept. */
    public dev.webhookhub.deliveries.DeliveryPayloads payloads() {
        return context().getRegistry().lookupByNameAndType("deliveryPayloads",
                dev.webhookhub.deliveries.DeliveryPayloads.class);
    }

    public int port() {
        return port;
    }

    public String token() {
        return token;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> admin(String method, String path, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Authorization", "Bearer " + token);
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody));
        return send(b);
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** Creates a service and returns its id. */
    public String createService(String name, String branch) {
        HttpResponse<String> r = admin("POST", "/api/containers/services",
                "{\"name\":\"" + name + "\",\"git_repository\":\"https://example.test/" + name + ".git\","
                        + "\"git_branch\":\"" + branch + "\"}");
        if (r.statusCode() != 201) {
            throw new AssertionError("create service: " + r.statusCode() + " " + r.body());
        }
        return json(r).get("id").asText();
    }

    /** Creates a sync config (an HTTP source nobody serves, a table target) and returns its id. */
    public String createSyncConfig(String name) {
        HttpResponse<String> r = admin("POST", "/api/sync-configs", "{\"name\":\"" + name + "\",\"source\":"
                + "{\"type\":\"http-json\",\"url\":\"https://api.example.test/items\",\"items\":\"$.items\"},"
                + "\"target\":{\"type\":\"sql\",\"table\":\"synced_items\",\"key\":[\"id\"]}}");
        if (r.statusCode() != 201) {
            throw new AssertionError("create sync config: " + r.statusCode() + " " + r.body());
        }
        return json(r).get("id").asText();
    }

    /** Issues (first call) the provider's webhook secret for a service. */
    public String issueSecret(String serviceId, String provider) {
        HttpResponse<String> r = admin("GET",
                "/api/containers/services/" + serviceId + "/webhook-url?provider=" + provider, null);
        if (r.statusCode() != 200 || json(r).get("secret").isNull()) {
            throw new AssertionError("webhook-url: " + r.statusCode() + " " + r.body());
        }
        return json(r).get("secret").asText();
    }

    public HttpResponse<String> postWebhook(String provider, String serviceId, byte[] body,
            Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/api/containers/webhooks/" + provider + "/"
                + serviceId))).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b);
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
