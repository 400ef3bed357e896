package dev.webhookhub.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.security.CredentialMask;
import dev.webhookhub.security.SecretCipher;
import dev.webhookhub.store.Jdbc;
import dev.webhookhub.store.StoreException;
import dev.webhookhub.store.StoreFlush;
import dev.webhookhub.store.StoredText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Plain-JDBC access to notification_settings and the e-mail outbox notification_messages. */
public final class NotificationStore {

    private static final String SETTING_COLUMNS = "id, notification_type, event_triggers, recipients, settings, "
            + "is_active, service_id, sync_config_id, created_at, updated_at, recipients_enc";
    private static final String MESSAGE_COLUMNS = "id, setting_id, event_id, event_type, subject_key, recipients, "
            + "subject, body_text, body_html, status, attempts, next_attempt_at, last_error, created_at, updated_at, "
            + "sent_at";

    private final DataSource ds;
    private final StoreFlush flush;
    private final ObjectMapper mapper;
    private final SecretCipher cipher;

    /**
     * The recipient URLs of Slack, Teams and webhook settings are credentials (a Slack or Teams webhook URL is all
     * it takes to post): stored encrypted in {@code recipients_enc}, with only their masked form in
     * {@code recipients}. E-mail recipients are stored as they are.
     */
    public NotificationStore(DataSource ds, StoreFlush flush, ObjectMapper mapper, SecretCipher cipher) {
        this.ds = ds;
        this.flush = flush;
        this.mapper = mapper;
        this.cipher = cipher;
    }

    /**
     * Encrypts the recipient URLs of settings stored in plain text (before migration V10): run at start. Returns
     * how many rows it changed.
     */
    public int encryptPlaintextRecipients() {
        List<String[]> rows = Jdbc.query(ds, "SELECT id, recipients FROM notification_settings WHERE "
                + "recipients_enc IS NULL AND notification_type <> 'email'", ps -> { },
                rs -> new String[] { rs.getString(1), rs.getString(2) }, "cannot read notification settings");
        int n = 0;
        for (String[] r : rows) {
            List<String> urls = list(r[1]);
            n += execute("UPDATE notification_settings SET recipients = ?, recipients_enc = ? WHERE id = ? "
                    + "AND recipients_enc IS NULL", ps -> {
                        ps.setString(1, json(urls.stream().map(CredentialMask::url).toList()));
                        ps.setString(2, cipher.encrypt(r[1]));
                        ps.setString(3, r[0]);
                    });
        }
        if (n > 0) {
            flush.flush();
        }
        return n;
    }

    // ---- settings

    public void insertSetting(NotificationSetting s) {
        execute("INSERT INTO notification_settings (" + SETTING_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                    bindSetting(ps, s, 1);
                    ps.setString(1, s.id());
                    Jdbc.setInstant(ps, 9, s.createdAt());
                    Jdbc.setInstant(ps, 10, s.updatedAt());
                    ps.setString(11, recipientsEnc(s));
                });
        flush.flush();
    }

    public boolean updateSetting(NotificationSetting s) {
        int n = execute("UPDATE notification_settings SET notification_type = ?, event_triggers = ?, recipients = ?, "
                + "settings = ?, is_active = ?, service_id = ?, sync_config_id = ?, updated_at = ?, recipients_enc = ? "
                + "WHERE id = ?", ps -> {
                    bindSetting(ps, s, 0);
                    Jdbc.setInstant(ps, 8, s.updatedAt());
                    ps.setString(9, recipientsEnc(s));
                    ps.setString(10, s.id());
                });
        flush.flush();
        return n == 1;
    }

    /** Binds type .. sync_config_id at offset+1 .. offset+7. */
    private void bindSetting(PreparedStatement ps, NotificationSetting s, int offset) throws SQLException {
        ps.setString(offset + 1, s.type());
        ps.setString(offset + 2, json(s.eventTriggers()));
        ps.setString(offset + 3, json(s.isEmail() ? s.recipients()
                : s.recipients().stream().map(CredentialMask::url).toList()));
        ps.setString(offset + 4, s.settingsJson());
        ps.setBoolean(offset + 5, s.active());
        ps.setString(offset + 6, s.serviceId());
        ps.setString(offset + 7, s.syncConfigId());
    }

    private String recipientsEnc(NotificationSetting s) {
        return s.isEmail() ? null : cipher.encrypt(json(s.recipients()));
    }

    public boolean deleteSetting(String id) {
        int n = execute("DELETE FROM notification_settings WHERE id = ?", ps -> ps.setString(1, id));
        flush.flush();
        return n == 1;
    }

    public Optional<NotificationSetting> setting(String id) {
        List<NotificationSetting> found = settings("SELECT " + SETTING_COLUMNS
                + " FROM notification_settings WHERE id = ?", ps -> ps.setString(1, id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Settings filtered by the non-null arguments, oldest first. */
    public List<NotificationSetting> settings(String serviceId, String syncConfigId, String type) {
        StringBuilder sql = new StringBuilder("SELECT " + SETTING_COLUMNS + " FROM notification_settings WHERE 1 = 1");
        List<String> params = new ArrayList<>();
        if (serviceId != null) {
            sql.append(" AND service_id = ?");
            params.add(serviceId);
        }
        if (syncConfigId != null) {
            sql.append(" AND sync_config_id = ?");
            params.add(syncConfigId);
        }
        if (type != null) {
            sql.append(" AND notification_type = ?");
            params.add(type);
        }
        sql.append(" ORDER BY created_at, id");
        return settings(sql.toString(), ps -> {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
        });
    }

    public List<NotificationSetting> activeSettings() {
        return settings("SELECT " + SETTING_COLUMNS + " FROM notification_settings WHERE is_active = TRUE ORDER BY id",
                ps -> { });
    }

    public boolean serviceExists(String serviceId) {
        return exists("services", serviceId);
    }

    public boolean syncConfigExists(String syncConfigId) {
        return exists("sync_configs", syncConfigId);
    }

    private boolean exists(String table, String id) {
        return !Jdbc.query(ds, "SELECT 1 FROM " + table + " WHERE id = ?", ps -> ps.setString(1, id), rs -> 1,
                "cannot read " + table).isEmpty();
    }

    // ---- e-mail outbox

    /** Writes the e-mail to the outbox before any attempt. */
    public void insertMessage(MailMessage m) {
        execute("INSERT INTO notification_messages (" + MESSAGE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, m.id());
                    ps.setString(2, m.settingId());
                    ps.setString(3, m.eventId());
                    ps.setString(4, m.eventType());
                    ps.setString(5, truncate(m.subjectKey(), 255));
                    ps.setString(6, json(m.recipients()));
                    ps.setString(7, truncate(m.subject(), 1000));
                    ps.setString(8, m.text());
                    ps.setString(9, m.html());
                    ps.setString(10, m.status());
                    ps.setInt(11, m.attempts());
                    Jdbc.setInstant(ps, 12, m.nextAttemptAt());
                    ps.setString(13, truncate(m.lastError(), 2000));
                    Jdbc.setInstant(ps, 14, m.createdAt());
                    Jdbc.setInstant(ps, 15, m.updatedAt());
                    Jdbc.setInstant(ps, 16, m.sentAt());
                });
        flush.flush();
    }

    public Optional<MailMessage> message(String id) {
        List<MailMessage> found = messages("SELECT " + MESSAGE_COLUMNS + " FROM notification_messages WHERE id = ?",
                ps -> ps.setString(1, id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public List<MailMessage> messagesOf(String settingId, String status, int limit) {
        String sql = "SELECT " + MESSAGE_COLUMNS + " FROM notification_messages WHERE setting_id = ?"
                + (status == null ? "" : " AND status = ?") + " ORDER BY setting_id, created_at DESC, id DESC FETCH FIRST "
                + limit + " ROWS ONLY";
        return messages(sql, ps -> {
            ps.setString(1, settingId);
            if (status != null) {
                ps.setString(2, status);
            }
        });
    }

    /** Ids of due messages: pending and due, or sending with an expired lease (the sender died). */
    public List<String> dueIds(Instant now, int limit) {
        return Jdbc.query(ds, "SELECT id FROM notification_messages WHERE (status = 'pending' AND next_attempt_at <= ?) "
                + "OR (status = 'sending' AND locked_until < ?) ORDER BY next_attempt_at, id FETCH FIRST " + limit
                + " ROWS ONLY", ps -> {
                    Jdbc.setInstant(ps, 1, now);
                    Jdbc.setInstant(ps, 2, now);
                }, rs -> rs.getString(1), "cannot read due notification messages");
    }

    /** Claims a due message with one conditional UPDATE, so two hub instances never send the same attempt. */
    public boolean claim(String id, Instant now, Instant lockedUntil) {
        return execute("UPDATE notification_messages SET status = 'sending', locked_until = ? WHERE id = ? AND "
                + "((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND locked_until < ?))",
                ps -> {
                    Jdbc.setInstant(ps, 1, lockedUntil);
                    ps.setString(2, id);
                    Jdbc.setInstant(ps, 3, now);
                    Jdbc.setInstant(ps, 4, now);
                }) == 1;
    }

    public void markSent(String id, int attempts, Instant now) {
        execute("UPDATE notification_messages SET status = 'sent', attempts = ?, sent_at = ?, updated_at = ?, "
                + "next_attempt_at = NULL, locked_until = NULL, last_error = NULL WHERE id = ?", ps -> {
                    ps.setInt(1, attempts);
                    Jdbc.setInstant(ps, 2, now);
                    Jdbc.setInstant(ps, 3, now);
                    ps.setString(4, id);
                });
        flush.flush();
    }

    /** Records a failed attempt: pending again at {@code nextAttemptAt}, or failed when that is null. */
    public void markFailed(String id, int attempts, String error, Instant nextAttemptAt, Instant now) {
        execute("UPDATE notification_messages SET status = ?, attempts = ?, next_attempt_at = ?, locked_until = NULL, "
                + "last_error = ?, updated_at = ? WHERE id = ?", ps -> {
                    ps.setString(1, nextAttemptAt == null ? MailMessage.FAILED : MailMessage.PENDING);
                    ps.setInt(2, attempts);
                    Jdbc.setInstant(ps, 3, nextAttemptAt);
                    ps.setString(4, truncate(error, 2000));
                    Jdbc.setInstant(ps, 5, now);
                    ps.setString(6, id);
                });
        flush.flush();
    }

    /** Puts a failed (or pending) message back in the queue for a new round of attempts. */
    public boolean redeliver(String id, Instant now) {
        int n = execute("UPDATE notification_messages SET status = 'pending', attempts = 0, next_attempt_at = ?, "
                + "locked_until = NULL, updated_at = ? WHERE id = ? AND status IN ('failed', 'pending')", ps -> {
                    Jdbc.setInstant(ps, 1, now);
                    Jdbc.setInstant(ps, 2, now);
                    ps.setString(3, id);
                });
        flush.flush();
        return n == 1;
    }

    // ---- helpers

    private int execute(String sql, Jdbc.Binder binder) {
        return Jdbc.update(ds, sql, binder, "notification store update failed");
    }

    private List<NotificationSetting> settings(String sql, Jdbc.Binder binder) {
        return Jdbc.query(ds, sql, binder, rs -> new NotificationSetting(rs.getString("id"),
                rs.getString("notification_type"), list(rs.getString("event_triggers")),
                list(rs.getString("recipients_enc") == null ? rs.getString("recipients")
                        : cipher.decrypt(rs.getString("recipients_enc"))), rs.getString("settings"),
                rs.getBoolean("is_active"),
                rs.getString("service_id"), rs.getString("sync_config_id"), Jdbc.getInstant(rs, "created_at"),
                Jdbc.getInstant(rs, "updated_at")), "cannot read notification settings");
    }

    private List<MailMessage> messages(String sql, Jdbc.Binder binder) {
        return Jdbc.query(ds, sql, binder, rs -> new MailMessage(rs.getString("id"), rs.getString("setting_id"),
                rs.getString("event_id"), rs.getString("event_type"), rs.getString("subject_key"),
                list(rs.getString("recipients")), rs.getString("subject"), rs.getString("body_text"),
                rs.getString("body_html"), rs.getString("status"), rs.getInt("attempts"),
                Jdbc.getInstant(rs, "next_attempt_at"), rs.getString("last_error"), Jdbc.getInstant(rs, "created_at"),
                Jdbc.getInstant(rs, "updated_at"), Jdbc.getInstant(rs, "sent_at")), "cannot read notification messages");
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> list(String json) {
        try {
            return json == null ? List.of() : mapper.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("damaged list column", e);
        }
    }

    /** Cut to the column, NUL replaced: answers and errors come from peers and may hold anything. */
    static String truncate(String s, int max) {
        return StoredText.fit(s, max);
    }
}
