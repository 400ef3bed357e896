package dev.webhookhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialMaskTest {

    @Test
    void masksTheSecretPartsOfUrls() {
        assertThat(CredentialMask.url("https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX"))
                .isEqualTo("https://hooks.slack.com/services/T000/B000/****");
        assertThat(CredentialMask.url("https://user:pa%40ss@ci.example.com:8443/hook?token=abc&flag&empty="))
                .isEqualTo("https://****@ci.example.com:8443/hook?token=****&flag&empty=");
        assertThat(CredentialMask.url("https://prod-01.westus.logic.azure.com/workflows/6c2f/triggers/manual/paths/"
                + "invoke?api-version=2016-06-01&sig=Zm9vYmFy"))
                .isEqualTo("https://prod-01.westus.logic.azure.com/workflows/6c2f/triggers/manual/paths/****"
                        + "?api-version=****&sig=****");
        assertThat(CredentialMask.url("https://acme.webhook.office.com/webhookb2/0f8fad5b-d9cb-469f-a165-70867728950e"
                + "@72f988bf/IncomingWebhook/b1946ac92492d2347c6235b4d2611184/x"))
                .isEqualTo("https://acme.webhook.office.com/webhookb2/****/IncomingWebhook/****/****");
        assertThat(CredentialMask.url("https://x.example.com/hook#frag")).isEqualTo("https://x.example.com/hook#****");
        // nothing secret-looking: shown as it is
        assertThat(CredentialMask.url("http://127.0.0.1:8080/hook")).isEqualTo("http://127.0.0.1:8080/hook");
        assertThat(CredentialMask.url("https://ci.example.com/")).isEqualTo("https://ci.example.com/");
        assertThat(CredentialMask.url("https://ci.example.com")).isEqualTo("https://ci.example.com");
        assertThat(CredentialMask.url("http://127.0.0.1:1/hook?push")).isEqualTo("http://127.0.0.1:1/hook?push");
        assertThat(CredentialMask.isMasked("https://hooks.slack.com/services/T000/B000/****")).isTrue();
        assertThat(CredentialMask.isMasked("https://hooks.slack.com/services/T000/B000/abc")).isFalse();
    }

    @Test
    void masksEveryHeaderValue() {
        assertThat(CredentialMask.headers(Map.of("Authorization", "Bearer xyz")))
                .containsExactlyEntriesOf(Map.of("Authorization", "****"));
    }
}
