package dev.webhookhub.e2e;

import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class OutboundWebhooksH2Test extends OutboundWebhooksContract {

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startHub() {
        hub = TestHub.start(dataDir, outboundSettings(dataDir.resolve("backups")));
    }
}
