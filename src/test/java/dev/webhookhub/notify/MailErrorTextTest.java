package dev.webhookhub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.MessagingException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** The last_error of an e-mail names what failed without exception class names (they read as stack traces). */
class MailErrorTextTest {

    @Test
    void nestedJavaMailExceptionsAreDescribedWithoutClassNames() {
        String text = MailOutbox.describe(new MessagingException("Couldn't connect to host, port: smtp.test, 25",
                new ConnectException("Connection refused")));
        assertThat(text).contains("Couldn't connect to host").contains("Connection refused")
                .doesNotContain("Exception").doesNotContain("nested");
        assertThat(MailOutbox.describe(new ConnectException())).doesNotContain("Exception").isNotBlank();
    }
}
