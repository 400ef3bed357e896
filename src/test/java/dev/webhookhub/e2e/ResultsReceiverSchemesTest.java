package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webhookhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The built-in receiver with the two hex signature schemes the outbound engine signs with: the hub's own outbound
 * message verifies, a request signed with another secret gets 401.
 */
class ResultsReceiverSchemesTest {

    static final String SECRET = "results-receiver-hex-secret-0123456789";

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @CsvSource({ "jobserv, X-JobServ-Sig, sha256:", "github, X-Hub-Signature-256, sha256=" })
    void theHubsOwnMessageVerifiesAndAForgedOneDoesNot(String scheme, String header, String prefix)
            throws Exception {
        Map<String, String> settings = Map.of("hub.outbound.poll-interval-ms", "50",
                "hub.results-receiver.scheme", scheme, "hub.results-receiver.secret", SECRET);
        try (TestHub hub = TestHub.start(dataDir, settings)) {
            HttpResponse<String> ep = hub.admin("POST", "/api/outbound/endpoints", "{\"url\":\""
                    + hub.url("/webhook/results") + "\",\"event_types\":[\"pipeline.completed\"],"
                    + "\"signature_scheme\":\"" + scheme + "\",\"secret\":\"" + SECRET + "\"}");
            assertThat(ep.statusCode()).as(ep.body()).isEqualTo(201);

            String id = "scheme-" + scheme;
            assertThat(hub.admin("POST", "/api/pipelines/" + id + "/stages/build",
                    "{\"build_results\":{\"success\":true,\"duration\":1.5}}").statusCode()).isEqualTo(200);
            assertThat(hub.admin("POST", "/api/pipelines/" + id + "/complete", null).statusCode()).isEqualTo(200);

            long deadline = System.currentTimeMillis() + 10_000;
            JsonNode list = received(hub, id);
            while (list.get("total").asInt() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
                list = received(hub, id);
            }
            assertThat(list.get("total").asInt()).isEqualTo(1);
            JsonNode item = list.get("items").get(0);
            assertThat(item.get("signature_verified").asBoolean()).isTrue();
            String sig = headerOf(item, header);
            assertThat(sig).startsWith(prefix);

            byte[] body = "{\"results\":{\"pipeline_id\":\"forged\"}}".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> forged = post(hub, body, header, prefix + hmacHex("another-secret-entirely", body));
            assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);
            assertThat(TestHub.json(forged).get("code").asText()).isEqualTo("invalid_signature");
            // another prefix is a signature that does not match, as this receiver has always answered
            HttpResponse<String> otherPrefix = post(hub, body, header, "md5=" + hmacHex(SECRET, body));
            assertThat(otherPrefix.statusCode()).as(otherPrefix.body()).isEqualTo(401);
            assertThat(TestHub.json(otherPrefix).get("error").asText()).isEqualTo("signature does not match the payload");
            HttpResponse<String> genuine = post(hub, body, header, prefix + hmacHex(SECRET, body));
            assertThat(genuine.statusCode()).as(genuine.body()).isEqualTo(200);
            assertThat(TestHub.json(genuine).get("signature_verified").asBoolean()).isTrue();
        }
    }

    static JsonNode received(TestHub hub, String pipelineId) {
        return TestHub.json(hub.admin("GET", "/api/results/received?pipeline_id=" + pipelineId, null));
    }

    static String headerOf(JsonNode item, String name) {
        for (var it = item.get("headers").fields(); it.hasNext();) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().asText();
            }
        }
        return null;
    }

    static HttpResponse<String> post(TestHub hub, byte[] body, String header, String value) {
        return hub.send(HttpRequest.newBuilder(URI.create(hub.url("/webhook/results")))
                .header("Content-Type", "application/json").header(header, value)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    // independent signature code: javax.crypto directly
    static String hmacHex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
