package dev.webhookhub.e2e;

import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class GitWebhookFlowH2Test extends GitWebhookFlowContract {

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startHub() {
        hub = TestHub.start(dataDir, Map.of("camel.server.max-body-size", String.valueOf(MAX_BODY),
                "hub.inbox.compress-payloads", "true"));
        bodyFiles = true;
    }
}
