package dev.webhookhub.e2e;

import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class DeploymentsH2Test extends DeploymentsContract {

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startHub() throws Exception {
        hub = TestHub.start(dataDir, settings());
        listenToEvents();
    }
}
