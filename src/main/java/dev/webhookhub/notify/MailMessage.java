package dev.webhookhub.notify;

import java.time.Instant;
import java.util.List;

/** One e-mail in the notification outbox ({@code notification_messages}). */
public record MailMessage(
        String id,
        String settingId,
        String eventId,
        String eventType,
        String subjectKey,
        List<String> recipients,
        String subject,
        String text,
        String html,
        String status,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        Instant createdAt,
        Instant updatedAt,
        Instant sentAt) {

    public static final String PENDING = "pending";
    public static final String SENDING = "sending";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";
    public static final List<String> STATUSES = List.of(PENDING, SENDING, SENT, FAILED);
}
