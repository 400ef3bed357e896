package dev.webhookhub.outbound;

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
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Plain-JDBC access to outbound_endpoints, outbound_messages and outbound_attempts. */
public final class OutboundStore {

    private static final String ENDPOINT_COLUMNS = "id, url, description, event_types, signature_scheme, secret_enc, "
            + "previous_secret_enc, previous_valid_until, headers, timeout_seconds, enabled, rate_limit, "
            + "disabled_reason, failing_since, url_enc, headers_enc, created_at, updated_at";
    private static final String MESSAGE_COLUMNS = "id, endpoint_id, event_type, payload, status, attempts, "
            + "next_attempt_at, last_status_code, last_error, created_at, delivered_at";

    private final DataSource ds;
    private final StoreFlush flush;
    private final ObjectMapper mapper;
    private final SecretCipher cipher;

    /**
     * An endpoint's URL and custom headers are credentials (user info, tokens in the path or query, Authorization
     * headers): they are stored encrypted ({@code url_enc}, {@code headers_enc}) and the {@code url} column keeps
     * only the masked form ({@link CredentialMask#url}), for lookups and for reading the table.
     */
    public OutboundStore(DataSource ds, StoreFlush flush, ObjectMapper mapper, SecretCipher cipher) {
        this.ds = ds;
        this.flush = flush;
        this.mapper = mapper;
        this.cipher = cipher;
    }

    /**
     * Encrypts the URL and headers of endpoints stored in plain text (before migration V10): run at start, before
     * anything reads endpoints. Returns how many rows it changed.
     */
    public int encryptPlaintextCredentials() {
        List<String[]> rows = Jdbc.query(ds, "SELECT id, url, headers FROM outbound_endpoints WHERE url_enc IS NULL",
                ps -> { }, rs -> new String[] { rs.getString(1), rs.getString(2), rs.getString(3) },
                "cannot read outbound endpoints");
        int n = 0;
        for (String[] r : rows) {
            Map<String, String> headers = readMap(r[2]);
            n += Jdbc.update(ds, "UPDATE outbound_endpoints SET url = ?, url_enc = ?, headers = NULL, headers_enc = ? "
                    + "WHERE id = ? AND url_enc IS NULL", ps -> {
                        ps.setString(1, CredentialMask.url(r[1]));
                        ps.setString(2, cipher.encrypt(r[1]));
                        ps.setString(3, headers.isEmpty() ? null : cipher.encrypt(json(headers)));
                        ps.setString(4, r[0]);
                    }, "cannot encrypt outbound endpoint credentials");
        }
        if (n > 0) {
            flush.flush();
        }
        return n;
    }

    // ---- endpoints

    public void insertEndpoint(OutboundEndpoint e) {
        Jdbc.update(ds, "INSERT INTO outbound_endpoints (" + ENDPOINT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, e.id());
                    int i = bindEndpointFields(ps, 2, e);
                    Jdbc.setInstant(ps, i++, e.createdAt());
                    Jdbc.setInstant(ps, i, e.updatedAt());
                }, "cannot insert outbound endpoint");
        flush.flush();
    }

    /** Replaces every column but id and created_at; false when the endpoint does not exist. */
    public boolean updateEndpoint(OutboundEndpoint e) {
        int n = Jdbc.update(ds, "UPDATE outbound_endpoints SET url = ?, description = ?, event_types = ?, "
                + "signature_scheme = ?, secret_enc = ?, previous_secret_enc = ?, previous_valid_until = ?, headers = ?, "
                + "timeout_seconds = ?, enabled = ?, rate_limit = ?, disabled_reason = ?, failing_since = ?, "
                + "url_enc = ?, headers_enc = ?, updated_at = ? WHERE id = ?", ps -> {
                    int i = bindEndpointFields(ps, 1, e);
                    Jdbc.setInstant(ps, i++, e.updatedAt());
                    ps.setString(i, e.id());
                }, "cannot update outbound endpoint");
        flush.flush();
        return n == 1;
    }

    public boolean deleteEndpoint(String id) {
        int n = Jdbc.update(ds, "DELETE FROM outbound_endpoints WHERE id = ?", ps -> ps.setString(1, id),
                "cannot delete outbound endpoint");
        flush.flush();
        return n == 1;
    }

    public Optional<OutboundEndpoint> endpoint(String id) {
        List<OutboundEndpoint> found = endpoints("SELECT " + ENDPOINT_COLUMNS + " FROM outbound_endpoints WHERE id = ?",
                id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public List<OutboundEndpoint> endpoints() {
        return endpoints("SELECT " + ENDPOINT_COLUMNS + " FROM outbound_endpoints ORDER BY created_at, id");
    }

    public List<OutboundEndpoint> enabledEndpoints() {
        return endpoints("SELECT " + ENDPOINT_COLUMNS + " FROM outbound_endpoints WHERE enabled = TRUE ORDER BY id");
    }

    /** The oldest endpoint with exactly this URL: looked up by its masked form, compared in full. */
    public Optional<OutboundEndpoint> endpointByUrl(String url) {
        return endpoints("SELECT " + ENDPOINT_COLUMNS + " FROM outbound_endpoints WHERE url = ? ORDER BY created_at",
                CredentialMask.url(url)).stream().filter(e -> e.url().equals(url)).findFirst();
    }

    /** Disables an endpoint (410, or failing too long); its pending messages wait until it is enabled again. */
    public void disableEndpoint(String id, String reason, Instant now) {
        execute("UPDATE outbound_endpoints SET enabled = FALSE, disabled_reason = ?, updated_at = ? WHERE id = ?",
                ps -> {
                    ps.setString(1, truncate(reason, 1000));
                    Jdbc.setInstant(ps, 2, now);
                    ps.setString(3, id);
                });
        flush.flush();
    }

    /** Marks the endpoint failing since {@code now} unless it already is; a success clears the mark. */
    public void markFailing(String id, Instant now) {
        execute("UPDATE outbound_endpoints SET failing_since = ? WHERE id = ? AND failing_since IS NULL", ps -> {
            Jdbc.setInstant(ps, 1, now);
            ps.setString(2, id);
        });
    }

    public void clearFailing(String id) {
        execute("UPDATE outbound_endpoints SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL",
                ps -> ps.setString(1, id));
    }

    // ---- messages

    /**
     * Writes the outbox rows in one transaction, before any attempt. Not flushed: the embedded store persists
     * commits in order, so whatever a publisher records after publishing (a run's events mark, say) is never kept
     * without the messages; a publisher that answers a request flushes itself (see publish on a connection).
     */
    public void insertMessages(List<OutboundMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                insertMessages(c, messages);
                c.commit();
            } catch (SQLException ex) {
                c.rollback();
                throw ex;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException ex) {
            throw new StoreException("cannot write outbound messages", ex);
        }
    }

    /**
     * Writes the outbox rows on the caller's connection, inside the caller's transaction (which commits, and flushes
     * the store); lets a caller record its own state change and the messages it causes atomically.
     */
    public void insertMessages(Connection c, List<OutboundMessage> messages) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO outbound_messages (" + MESSAGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (OutboundMessage m : messages) {
                ps.setString(1, m.id());
                ps.setString(2, m.endpointId());
                ps.setString(3, m.eventType());
                ps.setBytes(4, m.payload());
                ps.setString(5, m.status());
                ps.setInt(6, m.attempts());
                Jdbc.setInstant(ps, 7, m.nextAttemptAt());
                setInteger(ps, 8, m.lastStatusCode());
                ps.setString(9, m.lastError());
                Jdbc.setInstant(ps, 10, m.createdAt());
                Jdbc.setInstant(ps, 11, m.deliveredAt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public Optional<OutboundMessage> message(String id) {
        List<OutboundMessage> found = messages("SELECT " + MESSAGE_COLUMNS + " FROM outbound_messages WHERE id = ?",
                ps -> ps.setString(1, id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Newest first, without payloads (a list shows none; {@link #message} has it): an empty array in their place. */
    public List<OutboundMessage> messagesOf(String endpointId, String status, int limit) {
        String sql = "SELECT " + MESSAGE_COLUMNS.replace("payload, ", "") + " FROM outbound_messages WHERE endpoint_id = ?"
                + (status == null ? "" : " AND status = ?") + " ORDER BY endpoint_id, created_at DESC, id DESC FETCH FIRST "
                + limit + " ROWS ONLY";
        return messages(sql, ps -> {
            ps.setString(1, endpointId);
            if (status != null) {
                ps.setString(2, status);
            }
        });
    }

    /**
     * Up to {@code limit} due messages of one endpoint: pending and due (the longest waiting first), then any
     * delivering with an expired lease (the claimer died). Two queries, each an index range on
     * (endpoint_id, status, next_attempt_at), so an endpoint's delivered history is never scanned; the first orders
     * by all three index columns (the same order, given the equalities) because H2 only then reads the index in
     * order and stops at the limit instead of sorting every due row of the endpoint.
     */
    public List<String> dueFor(String endpointId, Instant now, int limit) {
        List<String> due = ids("SELECT id FROM outbound_messages WHERE endpoint_id = ? AND status = 'pending' "
                + "AND next_attempt_at <= ? ORDER BY endpoint_id, status, next_attempt_at FETCH FIRST " + limit
                + " ROWS ONLY", ps -> {
                    ps.setString(1, endpointId);
                    Jdbc.setInstant(ps, 2, now);
                });
        if (due.size() < limit) {
            due = new ArrayList<>(due);
            due.addAll(ids("SELECT id FROM outbound_messages WHERE endpoint_id = ? AND status = 'delivering' "
                    + "AND locked_until < ? FETCH FIRST " + (limit - due.size()) + " ROWS ONLY", ps -> {
                        ps.setString(1, endpointId);
                        Jdbc.setInstant(ps, 2, now);
                    }));
        }
        return due;
    }

    private List<String> ids(String sql, Jdbc.Binder binder) {
        return Jdbc.query(ds, sql, binder, rs -> rs.getString(1), "cannot read due outbound messages");
    }

    /**
     * Claims a due message for this instance: one conditional UPDATE, so of two instances racing for a row only
     * one gets it.
     */
    public boolean claim(String messageId, Instant now, Instant lockedUntil) {
        return execute("UPDATE outbound_messages SET status = 'delivering', locked_until = ? WHERE id = ? AND "
                + "((status = 'pending' AND next_attempt_at <= ?) OR (status = 'delivering' AND locked_until < ?))",
                ps -> {
                    Jdbc.setInstant(ps, 1, lockedUntil);
                    ps.setString(2, messageId);
                    Jdbc.setInstant(ps, 3, now);
                    Jdbc.setInstant(ps, 4, now);
                }) == 1;
    }

    /**
     * Records one attempt and the message's new state in one transaction. {@code nextAttemptAt} is the time of the
     * next attempt when the new status is pending, or, when it stays delivering (retried in process), the end of
     * the claim: a crash before that retry leaves the message to be claimed again once it passes.
     */
    public void recordAttempt(OutboundAttempt attempt, String newStatus, int attemptsInRound, Instant nextAttemptAt,
            Instant deliveredAt) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                int ordinal;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT COALESCE(MAX(attempt), 0) FROM outbound_attempts WHERE message_id = ?")) {
                    ps.setString(1, attempt.messageId());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        ordinal = rs.getInt(1) + 1;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbound_attempts (message_id, attempt, "
                        + "at, status_code, response_snippet, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, attempt.messageId());
                    ps.setInt(2, ordinal);
                    Jdbc.setInstant(ps, 3, attempt.at());
                    setInteger(ps, 4, attempt.statusCode());
                    ps.setString(5, truncate(attempt.responseSnippet(), 2000));
                    ps.setString(6, truncate(attempt.error(), 2000));
                    ps.setLong(7, attempt.durationMs());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE outbound_messages SET status = ?, attempts = ?, "
                        + "next_attempt_at = ?, locked_until = ?, last_status_code = ?, last_error = ?, "
                        + "delivered_at = ? WHERE id = ?")) {
                    boolean claimed = OutboundMessage.DELIVERING.equals(newStatus);
                    ps.setString(1, newStatus);
                    ps.setInt(2, attemptsInRound);
                    Jdbc.setInstant(ps, 3, OutboundMessage.PENDING.equals(newStatus) ? nextAttemptAt : null);
                    Jdbc.setInstant(ps, 4, claimed ? nextAttemptAt : null);
                    setInteger(ps, 5, attempt.statusCode());
                    ps.setString(6, truncate(attempt.error(), 2000));
                    Jdbc.setInstant(ps, 7, deliveredAt);
                    ps.setString(8, attempt.messageId());
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException ex) {
                c.rollback();
                throw ex;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException ex) {
            throw new StoreException("cannot record outbound attempt", ex);
        }
    }

    /** Gives up a claim held for an in-process retry: the message is due again at {@code at}. */
    public void releaseClaim(String messageId, Instant at) {
        execute("UPDATE outbound_messages SET status = 'pending', next_attempt_at = ?, locked_until = NULL "
                + "WHERE id = ? AND status = 'delivering'", ps -> {
                    Jdbc.setInstant(ps, 1, at);
                    ps.setString(2, messageId);
                });
    }

    /** Puts a message back in the queue for a new round of attempts; false when it is being delivered now. */
    public boolean redeliver(String messageId, Instant now) {
        int n = execute("UPDATE outbound_messages SET status = 'pending', attempts = 0, next_attempt_at = ?, "
                + "locked_until = NULL WHERE id = ? AND status <> 'delivering'", ps -> {
                    Jdbc.setInstant(ps, 1, now);
                    ps.setString(2, messageId);
                });
        flush.flush();
        return n == 1;
    }

    /** Queues again every failed message of the endpoint created at or after {@code since}; returns how many. */
    public int recoverFailed(String endpointId, Instant since, Instant now) {
        int n = execute("UPDATE outbound_messages SET status = 'pending', attempts = 0, next_attempt_at = ?, "
                + "locked_until = NULL WHERE endpoint_id = ? AND status = 'failed' AND created_at >= ?", ps -> {
                    Jdbc.setInstant(ps, 1, now);
                    ps.setString(2, endpointId);
                    Jdbc.setInstant(ps, 3, since);
                });
        flush.flush();
        return n;
    }

    public List<OutboundAttempt> attempts(String messageId) {
        List<OutboundAttempt> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT message_id, attempt, "
                + "at, status_code, response_snippet, error, duration_ms FROM outbound_attempts WHERE message_id = ? "
                + "ORDER BY attempt")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutboundAttempt(rs.getString(1), rs.getInt(2), Jdbc.getInstant(rs, "at"),
                            getInteger(rs, "status_code"), rs.getString(5), rs.getString(6), rs.getLong(7)));
                }
            }
        } catch (SQLException ex) {
            throw new StoreException("cannot read outbound attempts", ex);
        }
        return out;
    }

    // ---- helpers

    private int execute(String sql, Jdbc.Binder binder) {
        return Jdbc.update(ds, sql, binder, "outbound store update failed");
    }

    /** Binds url .. headers_enc (the columns between id and created_at) from {@code i}; returns the next index. */
    private int bindEndpointFields(PreparedStatement ps, int i, OutboundEndpoint e) throws SQLException {
        ps.setString(i++, CredentialMask.url(e.url()));
        ps.setString(i++, e.description());
        ps.setString(i++, json(e.eventTypes()));
        ps.setString(i++, e.signatureScheme());
        ps.setString(i++, e.secretEnc());
        ps.setString(i++, e.previousSecretEnc());
        Jdbc.setInstant(ps, i++, e.previousValidUntil());
        ps.setString(i++, null); // headers: only encrypted, in headers_enc
        ps.setInt(i++, e.timeoutSeconds());
        ps.setBoolean(i++, e.enabled());
        setInteger(ps, i++, e.rateLimit());
        ps.setString(i++, e.disabledReason());
        Jdbc.setInstant(ps, i++, e.failingSince());
        ps.setString(i++, cipher.encrypt(e.url()));
        ps.setString(i++, e.headers().isEmpty() ? null : cipher.encrypt(json(e.headers())));
        return i;
    }

    private List<OutboundEndpoint> endpoints(String sql, String... params) {
        return Jdbc.query(ds, sql, ps -> {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
        }, rs -> new OutboundEndpoint(rs.getString("id"), decryptOr(rs.getString("url_enc"), rs.getString("url")),
                rs.getString("description"),
                readList(rs.getString("event_types")), rs.getString("signature_scheme"), rs.getString("secret_enc"),
                rs.getString("previous_secret_enc"), Jdbc.getInstant(rs, "previous_valid_until"),
                readMap(decryptOr(rs.getString("headers_enc"), rs.getString("headers"))), rs.getInt("timeout_seconds"),
                rs.getBoolean("enabled"),
                getInteger(rs, "rate_limit"), rs.getString("disabled_reason"), Jdbc.getInstant(rs, "failing_since"),
                Jdbc.getInstant(rs, "created_at"), Jdbc.getInstant(rs, "updated_at")),
                "cannot read outbound endpoints");
    }

    private String decryptOr(String encrypted, String plain) {
        return encrypted == null ? plain : cipher.decrypt(encrypted);
    }

    private static byte[] payload(ResultSet rs) throws SQLException {
        return rs.getMetaData().getColumnCount() == MESSAGE_COLUMNS.split(",").length ? rs.getBytes("payload")
                : new byte[0];
    }

    private List<OutboundMessage> messages(String sql, Jdbc.Binder binder) {
        return Jdbc.query(ds, sql, binder, rs -> new OutboundMessage(rs.getString("id"), rs.getString("endpoint_id"),
                rs.getString("event_type"), payload(rs), rs.getString("status"), rs.getInt("attempts"),
                Jdbc.getInstant(rs, "next_attempt_at"), getInteger(rs, "last_status_code"), rs.getString("last_error"),
                Jdbc.getInstant(rs, "created_at"), Jdbc.getInstant(rs, "delivered_at")),
                "cannot read outbound messages");
    }

    private String json(Object value) {
        try {
            return value == null ? null : mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> readList(String json) {
        try {
            return json == null ? List.of() : mapper.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("damaged event_types column", e);
        }
    }

    private Map<String, String> readMap(String json) {
        try {
            return json == null ? Map.of()
                    : mapper.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("damaged headers column", e);
        }
    }

    private static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    private static Integer getInteger(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** Cut to the column, NUL replaced: answers and errors come from peers and may hold anything. */
    static String truncate(String s, int max) {
        return StoredText.fit(s, max);
    }
}
