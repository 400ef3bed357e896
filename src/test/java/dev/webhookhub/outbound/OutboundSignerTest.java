package dev.webhookhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.support.TestHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each outbound scheme against the vectors in provider-samples/signature-vectors.json. */
class OutboundSignerTest {

    private static JsonNode vector(String provider) throws Exception {
        JsonNode root = new ObjectMapper().readTree(TestHub.samples().resolve("signature-vectors.json").toFile());
        for (JsonNode v : root.get("vectors")) {
            if (provider.equals(v.get("provider").asText())) {
                return v;
            }
        }
        throw new AssertionError("no vector for " + provider);
    }

    @Test
    void jobServSignsTheSampleBuildBodyAsInTheVector() throws Exception {
        JsonNode v = vector("jobserv");
        byte[] body = Files.readAllBytes(TestHub.samples().resolve(v.get("payload_file").asText()));
        assertThat(body).hasSize(v.get("payload_bytes").asInt());
        Map<String, String> h = new JobServSigner().sign("m1", Instant.now(), body, List.of(v.get("secret").asText()));
        assertThat(h).containsEntry("X-JobServ-Sig", v.get("expected_header_value").asText())
                .containsEntry("X-JobServ-Sig",
                        "sha256:deb6a30578e1ed0458fa1b932b757a1f8b5acfec63d6cb24f81364517e22f033");
        JsonNode tiny = v.get("tiny_vector");
        assertThat(new JobServSigner().sign("m1", Instant.now(),
                tiny.get("payload_inline").asText().getBytes(StandardCharsets.UTF_8),
                List.of(tiny.get("secret").asText())).get("X-JobServ-Sig"))
                .isEqualTo(tiny.get("expected_header_value").asText());
    }

    @Test
    void gitHubMatchesTheDocumentedVector() throws Exception {
        JsonNode v = vector("github");
        Map<String, String> h = new GitHubSigner().sign("m1", Instant.now(),
                v.get("payload_inline").asText().getBytes(StandardCharsets.UTF_8), List.of(v.get("secret").asText()));
        assertThat(h).containsExactlyEntriesOf(Map.of("X-Hub-Signature-256", v.get("expected_header_value").asText()));
    }

    @Test
    void standardWebhooksMatchesTheOfficialVectorAtItsFixedTime() throws Exception {
        JsonNode v = vector("standard-webhooks");
        JsonNode headers = v.get("headers");
        Instant at = Instant.ofEpochSecond(headers.get("webhook-timestamp").asLong());
        Map<String, String> h = new StandardWebhooksSigner().sign(headers.get("webhook-id").asText(), at,
                v.get("payload_inline").asText().getBytes(StandardCharsets.UTF_8), List.of(v.get("secret").asText()));
        assertThat(h).containsEntry("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
                .containsEntry("webhook-timestamp", "1614265330")
                .containsEntry("webhook-signature", v.get("expected_header_value").asText());
    }

    @Test
    void rotationSignsWithBothSecrets() {
        String current = new StandardWebhooksSigner().newSecret();
        String previous = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        Map<String, String> h = new StandardWebhooksSigner().sign("msg_p5jXN8AQM9LWM0D4loKWxJek",
                Instant.ofEpochSecond(1614265330), "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8),
                List.of(current, previous));
        String[] sigs = h.get("webhook-signature").split(" ");
        assertThat(sigs).hasSize(2);
        assertThat(sigs[1]).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");

        Map<String, String> gh = new GitHubSigner().sign("m", Instant.now(),
                "Hello, World!".getBytes(StandardCharsets.UTF_8), List.of("new-secret-value-123", "It's a Secret to Everybody"));
        assertThat(gh).containsEntry("X-Webhook-Hub-Previous-Signature",
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void schemesAreKnownAndSecretsChecked() {
        assertThat(OutboundSigner.forScheme("standard-webhooks").checkSecret("plain-secret-of-some-length"))
                .contains("whsec_");
        assertThat(OutboundSigner.forScheme("standard-webhooks")
                .checkSecret(OutboundSigner.forScheme("standard-webhooks").newSecret())).isNull();
        assertThat(OutboundSigner.forScheme("jobserv").checkSecret("short")).isNotNull();
        assertThatThrownBy(() -> OutboundSigner.forScheme("svix")).isInstanceOf(IllegalArgumentException.class);
    }
}
