package dev.webhookhub.e2e;

import dev.webhookhub.support.SocketRelay;
import dev.webhookhub.support.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployments contract on H2, with the Docker daemon reached through a unix socket (DOCKER_HOST=unix://..., as
 * docker-compose mounts /var/run/docker.sock); the PostgreSQL variant reaches it over tcp://.
 */
class DeploymentsH2Test extends DeploymentsContract {

    @TempDir
    static Path dataDir;

    static SocketRelay dockerSocket;

    @BeforeAll
    static void startHub() throws Exception {
        Map<String, String> settings = settings();
        // unix socket paths are limited to ~108 bytes: a short one under /tmp
        Path socketDir = Files.createTempDirectory(Path.of("/tmp"), "dk");
        dockerSocket = SocketRelay.unix(socketDir.resolve("docker.sock"), docker.host());
        settings.put("hub.docker.host", dockerSocket.host());
        hub = TestHub.start(dataDir, settings);
        listenToEvents();
    }

    @AfterAll
    static void closeSocket() throws Exception {
        if (dockerSocket != null) {
            dockerSocket.close();
            Path sock = Path.of(dockerSocket.host().substring("unix://".length()));
            Files.deleteIfExists(sock);
            Files.deleteIfExists(sock.getParent());
        }
    }
}
