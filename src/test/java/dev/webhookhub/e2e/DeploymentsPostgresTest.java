package dev.webhookhub.e2e;

import dev.webhookhub.support.Postgres;
import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class DeploymentsPostgresTest extends DeploymentsContract {

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startHub() throws Exception {
        Map<String, String> settings = new HashMap<>(settings());
        settings.putAll(Postgres.freshDatabase());
        hub = TestHub.start(dataDir, settings);
        listenToEvents();
    }
}
