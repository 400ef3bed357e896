package dev.webhookhub.webhooks;

import dev.webhookhub.support.Postgres;
import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class RegisteredWebhooksPostgresTest extends RegisteredWebhooksContract {

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startHub() {
        hub = TestHub.start(dataDir, Postgres.freshDatabase());
    }
}
