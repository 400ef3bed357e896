package dev.webhookhub.e2e;

import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class PipelineRunsH2Test extends PipelineRunsContract {

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startHub() {
        hub = TestHub.start(dataDir, pipelineSettings());
    }
}
