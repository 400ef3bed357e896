package dev.webhookhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SensitiveSettingsTest {

    @Test
    void everyCredentialSettingIsSensitiveAndDurationsAboutSecretsAreNot() {
        for (String key : new String[] {"hub.admin-token", "hub.secret-key", "hub.db.password",
                "hub.notify.smtp.password", "hub.jenkins.api-token", "hub.jenkins.webhook-token",
                "hub.foundries.secrets.default", "hub.foundries.secrets.acme", "hub.results-receiver.secret",
                "hub.outbound.pipeline-results-secret", "hub.ops.password", "hub.docker.registry-password"}) {
            assertThat(SensitiveSettings.isCredential(key)).as(key).isTrue();
        }
        for (String key : new String[] {"hub.secret-rotation-grace-seconds", "hub.jenkins.url", "hub.db.user",
                "hub.results-receiver.scheme", "hub.outbound.pipeline-results-url", "hub.rejected-payload-cap-bytes",
                "camel.main.name"}) {
            assertThat(SensitiveSettings.isCredential(key)).as(key).isFalse();
        }
        // as Camel compares keys with its keywords
        assertThat(SensitiveSettings.lastSegment("hub.docker.registry-password")).isEqualTo("registrypassword");
        assertThat(SensitiveSettings.lastSegment("hub.foundries.secrets.Acme")).isEqualTo("acme");
    }
}
