package dev.webhookhub.e2e;

import dev.webhookhub.support.Mailbox;
import dev.webhookhub.support.TestHub;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class NotificationsH2Test extends NotificationsContract {

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startHub() {
        Mailbox mail = Mailbox.onFreePort().start();
        hub = TestHub.start(dataDir, notifySettings(mail));
    }
}
