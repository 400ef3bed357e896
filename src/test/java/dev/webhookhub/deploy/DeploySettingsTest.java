package dev.webhookhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped config/application.properties maps the deployment settings added for Docker TLS and claim leases. */
class DeploySettingsTest {

    @TempDir
    Path dataDir;

    @Test
    void shippedDefaults() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            ctx.getPropertiesComponent().setLocation("file:" + TestHub.projectDir().resolve(
                    "config/application.properties"));
            java.util.Properties p = new java.util.Properties();
            p.setProperty("hub.deploy.instance-id", "defaults-test");
            ctx.getPropertiesComponent().setOverrideProperties(p);
            DeploySettings s = DeploySettings.from(ctx.getPropertiesComponent(), dataDir);
            assertThat(s.claimLease()).isEqualTo(Duration.ofSeconds(60));
            assertThat(s.dockerTls()).isEqualTo(DockerTls.enabled(System.getenv("DOCKER_TLS_VERIFY")));
            assertThat(ctx.getPropertiesComponent().resolveProperty("hub.deploy.claim-lease")).contains("60s");
            assertThat(ctx.getPropertiesComponent().resolveProperty("hub.docker.cert-path")).isPresent();
            assertThat(ctx.getPropertiesComponent().resolveProperty("hub.docker.tls-verify")).isPresent();
            // ssh clones: strict host key checking unless HUB_GIT_SSH_STRICT_HOST_KEY_CHECKING=false
            assertThat(ctx.getPropertiesComponent().resolveProperty("hub.git.ssh-key")).isPresent();
            assertThat(ctx.getPropertiesComponent().resolveProperty("hub.git.ssh-known-hosts")).isPresent();
            assertThat(s.gitSsh().strictHostKeyChecking()).isEqualTo(
                    !"false".equalsIgnoreCase(System.getenv("HUB_GIT_SSH_STRICT_HOST_KEY_CHECKING")));
            p.setProperty("hub.git.ssh-strict-host-key-checking", "no");
            p.setProperty("hub.git.ssh-known-hosts", "/etc/hub/known_hosts");
            p.setProperty("hub.git.ssh-key", "-----BEGIN OPENSSH PRIVATE KEY-----\\nAAAA\\n-----END OPENSSH PRIVATE KEY-----");
            DeploySettings ssh = DeploySettings.from(ctx.getPropertiesComponent(), dataDir);
            assertThat(ssh.gitSsh().strictHostKeyChecking()).as("only false turns it off").isTrue();
            assertThat(ssh.gitSsh().knownHosts()).isEqualTo(Path.of("/etc/hub/known_hosts"));
            assertThat(ssh.toString()).doesNotContain("AAAA");
            p.setProperty("hub.git.ssh-strict-host-key-checking", "false");
            assertThat(DeploySettings.from(ctx.getPropertiesComponent(), dataDir).gitSsh().strictHostKeyChecking())
                    .isFalse();
        }
        assertThat(DockerTls.enabled("1")).isTrue();
        assertThat(DockerTls.enabled("true")).isTrue();
        assertThat(DockerTls.enabled("0")).isFalse();
        assertThat(DockerTls.enabled("false")).isFalse();
        assertThat(DockerTls.enabled("")).isFalse();
        assertThat(DockerTls.certPath("")).isEqualTo(Path.of(System.getProperty("user.home"), ".docker"));
        assertThat(DockerTransport.forHost("tcp://10.0.0.5", null).describe()).isEqualTo("tcp://10.0.0.5:2375");
        assertThat(DockerTransport.forHost("unix:///var/run/docker.sock", null).describe())
                .isEqualTo("unix:///var/run/docker.sock");
    }
}
