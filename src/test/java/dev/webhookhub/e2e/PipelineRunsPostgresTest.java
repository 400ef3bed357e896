package dev.webhookhub.e2e;

import dev.webhookhub.support.Postgres;
import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The same pipeline-run flows with PostgreSQL as the store. */
class PipelineRunsPostgresTest extends PipelineRunsContract {

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startHub() {
        Map<String, String> overrides = new HashMap<>(Postgres.freshDatabase());
        overrides.putAll(pipelineSettings());
        hub = TestHub.start(dataDir, overrides);
    }
}
