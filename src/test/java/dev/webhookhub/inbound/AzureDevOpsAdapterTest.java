package dev.webhookhub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class AzureDevOpsAdapterTest {

    private final AzureDevOpsAdapter adapter = new AzureDevOpsAdapter();
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void basicAuthPasswordIsTheSecret() {
        byte[] body = AdapterFixtures.sample("azure-devops/build.complete.json");
        adapter.verify(AdapterFixtures.request(body, "Authorization", basic("any", "the-secret")),
                List.of("the-secret"));
        adapter.verify(AdapterFixtures.request(body, "Authorization", basic("any", "old")),
                List.of("the-secret", "old"));
        assertThat(catchThrowableOfType(WebhookRejection.class, () -> adapter.verify(
                AdapterFixtures.request(body, "Authorization", basic("any", "wrong")), List.of("the-secret")))
                .code()).isEqualTo("invalid_token");
        assertThat(catchThrowableOfType(WebhookRejection.class, () -> adapter.verify(
                AdapterFixtures.request(body), List.of("the-secret"))).code()).isEqualTo("missing_credentials");
        assertThat(catchThrowableOfType(WebhookRejection.class, () -> adapter.verify(
                AdapterFixtures.request(body, "Authorization", "Basic %%%"), List.of("the-secret"))).status())
                .isEqualTo(401);
    }

    @Test
    void eventAndDeliveryIdComeFromTheBody() throws Exception {
        JsonNode build = mapper.readTree(AdapterFixtures.sample("azure-devops/build.complete.json"));
        InboundRequest request = AdapterFixtures.request(new byte[0]);
        assertThat(adapter.identifiedByBody()).isTrue();
        assertThat(adapter.event(request, build)).isEqualTo("build.complete");
        assertThat(adapter.deliveryId(request, build)).isEqualTo("4a5d99d6-1c75-4e53-91b9-ee80057d4ce3");
        assertThat(EventEnvelope.type("azure-devops", "build.complete", null)).isEqualTo("azure-devops.build.complete");
    }

    @Test
    void gitPushIsAPush() throws Exception {
        JsonNode push = mapper.readTree(AdapterFixtures.sample("azure-devops/git.push.json"));
        PushInfo info = adapter.push("git.push", push, "master").orElseThrow();
        assertThat(info.kind()).isEqualTo(PushInfo.Kind.BRANCH);
        assertThat(info.refName()).isNotBlank();
        assertThat(info.commitSha()).isNotBlank();
        assertThat(adapter.push("build.complete", push, "master")).isEmpty();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
