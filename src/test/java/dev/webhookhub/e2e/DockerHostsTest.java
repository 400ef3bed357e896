package dev.webhookhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.deploy.BuildCancel;
import dev.webhookhub.deploy.DeploySettings;
import dev.webhookhub.deploy.DockerEngine;
import dev.webhookhub.deploy.DockerTls;
import dev.webhookhub.deploy.DockerTransport;
import dev.webhookhub.support.Await;
import dev.webhookhub.support.DockerStandIn;
import dev.webhookhub.support.SocketRelay;
import dev.webhookhub.support.TestCerts;
import dev.webhookhub.support.TestCerts.KeyFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DOCKER_HOST forms other than plain tcp://, over real sockets: the stand-in daemon behind a unix domain socket
 * (as docker-compose mounts /var/run/docker.sock), and behind TLS that requires a client certificate (DOCKER_TLS_VERIFY
 * with ca.pem/cert.pem/key.pem in DOCKER_CERT_PATH, keys in PKCS#8, PKCS#1 RSA and SEC1 EC form). A whole hub
 * deploying through a unix socket: {@link DeploymentsH2Test} (the whole deployments contract runs that way).
 */
class DockerHostsTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theClientSpeaksToTheDaemonThroughAUnixSocket() throws Exception {
        try (DockerStandIn docker = DockerStandIn.start();
                SocketRelay sock = SocketRelay.unix(shortSocketPath(), docker.host())) {
            DockerEngine engine = new DockerEngine(DockerTransport.forHost(sock.host(), null), "1.44", "", "", "",
                    MAPPER);
            assertThat(engine.ping()).isEqualTo("1.56");
            assertThat(engine.version().get("ApiVersion").asText()).isEqualTo("1.56");

            List<String> log = new CopyOnWriteArrayList<>();
            engine.build(context(), "unix-app:1", Map.of(), log::add, Duration.ofSeconds(20), new BuildCancel());
            assertThat(log).contains("Step 2/2 : COPY . /app", "Successfully tagged unix-app:1");
            engine.push("unix-app:1", log::add, Duration.ofSeconds(20), new BuildCancel());
            assertThat(docker.pushes).extracting(DockerStandIn.Push::image).contains("unix-app:1");

            assertThat(engine.inspectService("unix-app")).isEmpty();
            ObjectNode spec = MAPPER.createObjectNode().put("Name", "unix-app");
            spec.putObject("TaskTemplate").putObject("ContainerSpec").put("Image", "unix-app:1");
            spec.putObject("Mode").putObject("Replicated").put("Replicas", 1);
            String id = engine.createService(spec);
            JsonNode service = engine.inspectService("unix-app").orElseThrow();
            assertThat(service.get("ID").asText()).isEqualTo(id);
            ((ObjectNode) spec.get("TaskTemplate").get("ContainerSpec")).put("Image", "unix-app:2");
            engine.updateService(id, service.path("Version").path("Index").asLong(), spec);
            assertThat(docker.serviceImage("unix-app")).isEqualTo("unix-app:2");
            assertThat(engine.tasks("unix-app")).isNotEmpty();
            // every call went through the unix socket, with the version prefix the stand-in accepts
            assertThat(sock.accepted()).isGreaterThanOrEqualTo(9);
            assertThat(docker.requests).contains("GET /_ping", "POST /build", "POST /services/create", "GET /tasks");

            // a build longer than the timeout is dropped on the unix socket too; so is a cancelled one
            docker.blockBuilds(tag -> true);
            long start = System.nanoTime();
            assertThatThrownBy(() -> engine.build(context(), "unix-app:3", Map.of(), log::add, Duration.ofSeconds(1),
                    new BuildCancel())).hasMessageContaining("timed out after 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            // (the stand-in notices a dropped build only when it writes again: the first one stays at the gate)
            BuildCancel cancel = new BuildCancel();
            Thread canceller = new Thread(() -> {
                Await.until(() -> docker.blockedBuilds() >= 2, WAIT, "the second blocked build");
                cancel.cancel();
            });
            canceller.start();
            assertThatThrownBy(() -> engine.build(context(), "unix-app:4", Map.of(), log::add, Duration.ofSeconds(30),
                    cancel)).hasMessage("cancelled");
            canceller.join();
            docker.releaseBuilds();
        }
    }

    @Test
    void theClientPresentsItsCertificateAndChecksTheDaemons() throws Exception {
        TestCerts certs = TestCerts.create("docker-ca");
        try (DockerStandIn docker = DockerStandIn.start();
                SocketRelay tls = SocketRelay.tls(certs.serverContext(), docker.host())) {
            for (KeyFormat f : KeyFormat.values()) {
                Path dir = certs.writeClientDir(tmp.resolve("certs-" + f), f);
                DockerEngine engine = new DockerEngine(DockerTransport.forHost(tls.host(), DockerTls.context(dir)),
                        "1.44", "", "", "", MAPPER);
                assertThat(engine.ping()).as(f.toString()).isEqualTo("1.56");
                List<String> log = new CopyOnWriteArrayList<>();
                engine.build(context(), "tls-app:" + f.ordinal(), Map.of(), log::add, Duration.ofSeconds(20),
                        new BuildCancel());
                assertThat(log).contains("Successfully tagged tls-app:" + f.ordinal());
            }
            assertThat(tls.refused).isEmpty();

            // a client certificate of another CA is refused by the daemon
            TestCerts other = TestCerts.create("other-ca");
            Path stranger = other.writeClientDir(tmp.resolve("stranger"), KeyFormat.PKCS8);
            Files.copy(certs.writeClientDir(tmp.resolve("good"), KeyFormat.PKCS8).resolve("ca.pem"),
                    stranger.resolve("ca.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            DockerEngine refused = new DockerEngine(DockerTransport.forHost(tls.host(), DockerTls.context(stranger)),
                    "1.44", "", "", "", MAPPER);
            assertThatThrownBy(refused::ping).isInstanceOf(IOException.class);
            Await.until(() -> !tls.refused.isEmpty(), WAIT, "the daemon to refuse the stranger's certificate");

            // a daemon whose certificate is not from the CA in ca.pem is not trusted
            Path wrongCa = certs.writeClientDir(tmp.resolve("wrong-ca"), KeyFormat.PKCS8);
            Files.writeString(wrongCa.resolve("ca.pem"), Files.readString(other.writeClientDir(tmp.resolve("o2"),
                    KeyFormat.PKCS8).resolve("ca.pem")));
            DockerEngine untrusting = new DockerEngine(DockerTransport.forHost(tls.host(), DockerTls.context(wrongCa)),
                    "1.44", "", "", "", MAPPER);
            assertThatThrownBy(untrusting::ping).isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot connect to the Docker daemon at tls://127.0.0.1:");
            // neither refused client got a request through to the daemon
            assertThat(docker.requests).filteredOn("GET /_ping"::equals).hasSize(KeyFormat.values().length);

            // missing files are named
            Files.delete(wrongCa.resolve("key.pem"));
            assertThatThrownBy(() -> DockerTls.context(wrongCa)).isInstanceOf(IOException.class)
                    .hasMessageContaining("key.pem");
        }
    }

    /** The hub's settings (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) make the TLS client above. */
    @Test
    void tlsSettingsMakeATlsClient() throws Exception {
        TestCerts certs = TestCerts.create("settings-ca");
        try (DockerStandIn docker = DockerStandIn.start();
                SocketRelay tls = SocketRelay.tls(certs.serverContext(), docker.host());
                DefaultCamelContext ctx = new DefaultCamelContext()) {
            Path certDir = certs.writeClientDir(tmp.resolve("docker-certs"), KeyFormat.PKCS1_RSA);
            java.util.Properties p = new java.util.Properties();
            p.setProperty("hub.docker.host", tls.host());
            p.setProperty("hub.docker.tls-verify", "1");
            p.setProperty("hub.docker.cert-path", certDir.toString());
            p.setProperty("hub.deploy.instance-id", "settings-test");
            ctx.getPropertiesComponent().setInitialProperties(p);
            DeploySettings on = DeploySettings.from(ctx.getPropertiesComponent(), tmp);
            assertThat(on.offReason()).isNull();
            assertThat(on.dockerTransport().describe()).isEqualTo(tls.host().replace("tcp://", "tls://"));
            assertThat(new DockerEngine(on.dockerTransport(), on.apiVersion(), "", "", "", MAPPER).ping())
                    .isEqualTo("1.56");
            assertThat(tls.refused).isEmpty();

            // without DOCKER_TLS_VERIFY the same daemon is spoken to in plain TCP, which it refuses
            p.setProperty("hub.docker.tls-verify", "0");
            DeploySettings plain = DeploySettings.from(ctx.getPropertiesComponent(), tmp);
            assertThatThrownBy(() -> new DockerEngine(plain.dockerTransport(), "1.44", "", "", "", MAPPER).ping())
                    .isInstanceOf(IOException.class);

            // TLS asked for but the files are not there: deploys are off, saying which file
            p.setProperty("hub.docker.tls-verify", "1");
            p.setProperty("hub.docker.cert-path", tmp.resolve("nowhere").toString());
            assertThat(DeploySettings.from(ctx.getPropertiesComponent(), tmp).offReason())
                    .contains("DOCKER_TLS_VERIFY is set but").contains("ca.pem");
            // a unix socket is offered too; other schemes are refused with the reason
            p.setProperty("hub.docker.host", "ssh://me@host");
            assertThat(DeploySettings.from(ctx.getPropertiesComponent(), tmp).offReason())
                    .contains("is not supported: use unix:///path/to/docker.sock or tcp://host:port");
        }
    }

    /** Unix socket paths are limited to ~108 bytes: a short one under /tmp. */
    private Path shortSocketPath() throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "dk");
        dir.toFile().deleteOnExit();
        return dir.resolve("d.sock");
    }

    private Path context() throws IOException {
        Path tar = Files.createTempFile(tmp, "ctx", ".tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            byte[] df = "FROM alpine:3\nCOPY . /app\n".getBytes();
            TarArchiveEntry e = new TarArchiveEntry("Dockerfile");
            e.setSize(df.length);
            out.putArchiveEntry(e);
            out.write(df);
            out.closeArchiveEntry();
        }
        return tar;
    }
}
