package dev.webhookhub.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A real SMTP server (GreenMail) on a fixed local port, which can be stopped and started again on that port. */
public final class Mailbox implements AutoCloseable {

    private final int port;
    private final String[] user;
    private GreenMail server;

    private Mailbox(int port, String[] user) {
        this.port = port;
        this.user = user;
    }

    /** A mailbox on a free port, not started. {@code user}: login and password the server insists on, or none. */
    public static Mailbox onFreePort(String... user) {
        try (ServerSocket s = new ServerSocket(0)) {
            return new Mailbox(s.getLocalPort(), user);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public synchronized Mailbox start() {
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        if (user.length == 2) {
            server.setUser(user[0] + "@example.test", user[0], user[1]);
        }
        server.start();
        return this;
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Every copy received so far (one per recipient) whose subject contains the text. */
    public synchronized List<MimeMessage> withSubject(String text) {
        List<MimeMessage> out = new ArrayList<>();
        if (server == null) {
            return out;
        }
        for (MimeMessage m : server.getReceivedMessages()) {
            try {
                if (m.getSubject() != null && m.getSubject().contains(text)) {
                    out.add(m);
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** Waits until at least {@code count} copies with the subject text arrived. */
    public List<MimeMessage> await(String subjectText, int count, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            List<MimeMessage> found = withSubject(subjectText);
            if (found.size() >= count) {
                return found;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no " + count + " e-mail(s) with subject containing '" + subjectText + "' within "
                + within + "; got " + withSubject(subjectText).size());
    }

    /** The message's leaf parts by base content type (text/plain, text/html). */
    public static Map<String, String> parts(Part message) {
        Map<String, String> out = new LinkedHashMap<>();
        collect(message, out);
        return out;
    }

    private static void collect(Part part, Map<String, String> out) {
        try {
            Object content = part.getContent();
            if (content instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    BodyPart p = mp.getBodyPart(i);
                    collect(p, out);
                }
            } else {
                String type = part.getContentType().split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
                out.put(type, content.toString());
            }
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<String> to(MimeMessage m) {
        try {
            return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Object::toString).toList();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
