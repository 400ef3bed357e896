package dev.webhookhub.notify;

import dev.webhookhub.outbound.RetrySchedule;
import dev.webhookhub.store.TimeOrderedIds;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.mail.MailConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The e-mail channel's outbox (routes/notifications.yaml). {@link #enqueue} renders and stores a message before any
 * attempt; {@link #claimDue} (timer) claims due rows; {@link #prepare} turns a claimed row into a camel-mail message;
 * {@link #markSent} / {@link #recordFailure} record the outcome of a round of in-process attempts (Camel's
 * redelivery), the next round following the retry schedule stored in the row.
 */
public final class MailOutbox {

    public static final String MESSAGE_ID = "notificationMessageId";
    public static final String READY = "notificationMailReady";
    static final String NOT_CONFIGURED = "SMTP is not configured (set SMTP_HOST); the message waits until it is";
    private static final Logger LOG = LoggerFactory.getLogger(MailOutbox.class);

    private final NotificationStore store;
    private final NotificationTemplates templates;
    private final NotificationContent content;
    private final RetrySchedule schedule;
    private final SmtpSettings smtp;
    private final Clock clock;
    private final int batch;
    private final Duration lease;

    public MailOutbox(NotificationStore store, NotificationTemplates templates, NotificationContent content,
            RetrySchedule schedule, SmtpSettings smtp, Clock clock, int batch, Duration lease) {
        this.store = store;
        this.templates = templates;
        this.content = content;
        this.schedule = schedule;
        this.smtp = smtp;
        this.clock = clock;
        this.batch = batch;
        this.lease = lease;
    }

    /** Renders the notification's e-mail and writes it to the outbox; returns the message id. */
    public String enqueue(Notification n) {
        RenderedMessage r = templates.render(n.event().type(),
                content.values(n.event(), Map.of("setting_id", n.setting().id())));
        Instant now = clock.instant();
        MailMessage m = new MailMessage(TimeOrderedIds.next(), n.setting().id(), n.event().id(), n.event().type(),
                n.event().subjectKey(), n.setting().recipients(), r.subject(), r.text(), r.html(), MailMessage.PENDING,
                0, now.plus(schedule.first()), smtp.configured() ? null : NOT_CONFIGURED, now, now, null);
        store.insertMessage(m);
        LOG.debug("notification e-mail {} queued for setting {} ({} about {})", m.id(), n.setting().id(),
                n.event().type(), n.event().subjectKey());
        return m.id();
    }

    /** Claims due messages for the senders; nothing while SMTP is not configured. */
    public List<String> claimDue() {
        if (!smtp.configured()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<String> claimed = new ArrayList<>();
        for (String id : store.dueIds(now, batch)) {
            if (store.claim(id, now, now.plus(lease))) {
                claimed.add(id);
            }
        }
        return claimed;
    }

    /** Body (HTML), alternative body (plain text) and mail headers of a claimed message. */
    public void prepare(Exchange exchange) {
        String id = exchange.getMessage().getBody(String.class);
        exchange.setProperty(MESSAGE_ID, id);
        Optional<MailMessage> found = store.message(id);
        if (found.isEmpty() || !MailMessage.SENDING.equals(found.get().status())) {
            exchange.setProperty(READY, false);
            return;
        }
        MailMessage m = found.get();
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(MailConstants.MAIL_TO, String.join(", ", m.recipients()));
        out.setHeader(MailConstants.MAIL_SUBJECT, m.subject());
        out.setHeader(MailConstants.MAIL_ALTERNATIVE_BODY, m.text());
        out.setHeader("X-Webhook-Hub-Event", m.eventType());
        out.setBody(m.html() != null ? m.html() : m.text());
        exchange.setProperty(READY, true);
    }

    public void markSent(Exchange exchange) {
        String id = exchange.getProperty(MESSAGE_ID, String.class);
        int made = store.message(id).map(MailMessage::attempts).orElse(0) + 1;
        store.markSent(id, made, clock.instant());
        LOG.debug("notification e-mail {} sent (attempt {})", id, made);
    }

    /** A round of attempts failed: schedule the next round, or fail the message when the schedule is exhausted. */
    public void recordFailure(Exchange exchange) {
        String id = exchange.getProperty(MESSAGE_ID, String.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String error = describe(cause);
        if (id == null) {
            LOG.error("notification e-mail sender failed before reading a message: {}", error);
            return;
        }
        int made = store.message(id).map(MailMessage::attempts).orElse(0) + 1;
        Instant now = clock.instant();
        Optional<Duration> wait = schedule.after(made);
        store.markFailed(id, made, error, wait.map(now::plus).orElse(null), now);
        if (wait.isPresent()) {
            LOG.warn("notification e-mail {} not sent (attempt {}), next attempt in {}: {}", id, made, wait.get(),
                    error);
        } else {
            LOG.error("notification e-mail {} failed after {} attempts: {}", id, made, error);
        }
    }

    /** Test e-mail, sent at once: its recipients, subject and parts. */
    public RenderedMessage testMessage(Map<String, String> extra) {
        dev.webhookhub.events.HubEvent e = new dev.webhookhub.events.HubEvent(TimeOrderedIds.next(),
                "notification_test", clock.instant(), "hub", "Webhook Hub", null, null, Map.of());
        return templates.render(e.type(), content.values(e, extra));
    }

    /** What the SMTP server (or the connection) said, without credentials. */
    public static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        StringBuilder b = new StringBuilder();
        Throwable t = e;
        int depth = 0;
        while (t != null && depth++ < 6) {
            String msg = withoutClassNames(t.getMessage());
            if (msg != null && !msg.isBlank() && b.indexOf(msg.trim()) < 0) {
                b.append(b.length() == 0 ? "" : "; ").append(msg.trim());
            }
            Throwable next = t instanceof MessagingException me && me.getNextException() != null
                    ? me.getNextException() : t.getCause();
            if (t instanceof SendFailedException sfe && sfe.getInvalidAddresses() != null
                    && sfe.getInvalidAddresses().length > 0) {
                b.append(" (rejected: ").append(java.util.Arrays.toString(sfe.getInvalidAddresses())).append(')');
            }
            t = next == t ? null : next;
        }
        return b.length() == 0 ? e.getClass().getSimpleName().replace("Exception", " failure").trim() : b.toString().replaceAll("[\\r\\n]+", " ");
    }

    /**
     * JavaMail appends "nested exception is: java.net.ConnectException: ..." to its messages; the nested message is
     * described on its own, and exception class names read as stack traces in the API's {@code last_error}.
     */
    private static String withoutClassNames(String msg) {
        if (msg == null) {
            return null;
        }
        return msg.replaceAll("(?s);?\\s*nested exception is:.*", "")
                .replaceAll("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:?\\s*", "").trim();
    }
}
