package dev.webhookhub.e2e;

import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class PipelineRunsH2Test extends PipelineRunsContract {

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startHub() {
        Map<String, String> settings = pipelineSettings();
        // CI events read their payload back: on H2 from compressed rows, on PostgreSQL from rows as received
        settings.put("hub.inbox.compress-payloads", "true");
        hub = TestHub.start(dataDir, settings);
    }
}
