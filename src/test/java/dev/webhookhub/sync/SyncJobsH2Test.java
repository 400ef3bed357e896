package dev.webhookhub.sync;

import dev.webhookhub.support.Mailbox;
import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class SyncJobsH2Test extends SyncJobsContract {

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startHub() {
        mailbox = Mailbox.onFreePort().start();
        hub = TestHub.start(dataDir, syncSettings(mailbox));
    }
}
