package dev.webhookhub.e2e;

import dev.webhookhub.support.Postgres;
import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The same flows with PostgreSQL as the store: switching is configuration only. */
class GitWebhookFlowPostgresTest extends GitWebhookFlowContract {

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startHub() {
        Map<String, String> overrides = new HashMap<>(Postgres.freshDatabase());
        overrides.put("camel.server.max-body-size", String.valueOf(MAX_BODY));
        overrides.put("hub.inbox.compress-payloads", "true");
        hub = TestHub.start(dataDir, overrides);
        bodyFiles = false;
    }
}
