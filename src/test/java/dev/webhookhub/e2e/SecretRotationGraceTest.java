package dev.webhookhub.e2e;

import static dev.webhookhub.support.TestHub.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookhub.support.Signatures;
import dev.webhookhub.support.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After rotation the old secret verifies until the grace period ends, and not after. */
class SecretRotationGraceTest {

    @TempDir
    Path dataDir;

    @Test
    void theOldSecretStopsVerifyingWhenTheGraceEnds() throws Exception {
        try (TestHub hub = TestHub.start(dataDir, Map.of("hub.secret-rotation-grace-seconds", "2"))) {
            String service = hub.createService("grace", "main");
            String oldSecret = hub.issueSecret(service, "bitbucket");
            HttpResponse<String> rotated = hub.admin("GET",
                    "/api/containers/services/" + service + "/webhook-url?provider=bitbucket&rotate=true", null);
            String newSecret = json(rotated).get("secret").asText();
            assertThat(json(rotated).get("previousSecretValidUntil").asText()).isNotBlank();

            assertThat(send(hub, service, oldSecret).statusCode()).isEqualTo(202);
            Thread.sleep(2500);
            HttpResponse<String> late = send(hub, service, oldSecret);
            assertThat(late.statusCode()).isEqualTo(401);
            assertThat(json(late).get("code").asText()).isEqualTo("invalid_signature");
            assertThat(send(hub, service, newSecret).statusCode()).isEqualTo(202);
        }
    }

    private static HttpResponse<String> send(TestHub hub, String service, String secret) throws Exception {
        byte[] body = GitWebhookFlowContract.sample("bitbucket/repo_push.json");
        return hub.postWebhook("bitbucket", service, body, Map.of("Content-Type", "application/json",
                "X-Event-Key", "repo:push", "X-Request-UUID", UUID.randomUUID().toString(),
                "X-Hub-Signature", Signatures.githubSha256(secret, body)));
    }
}
