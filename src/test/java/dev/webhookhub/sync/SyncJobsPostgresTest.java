package dev.webhookhub.sync;

import dev.webhookhub.support.Mailbox;
import dev.webhookhub.support.Postgres;
import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class SyncJobsPostgresTest extends SyncJobsContract {

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startHub() {
        mailbox = Mailbox.onFreePort().start();
        Map<String, String> settings = new HashMap<>(syncSettings(mailbox));
        settings.putAll(Postgres.freshDatabase());
        hub = TestHub.start(dataDir, settings);
    }
}
