package dev.webhookhub.store;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

/**
 * Keyset paging for lists ordered newest first ({@code created_at DESC, id DESC}): the cursor names the last row of
 * a page, and the next page starts right after it in that order, read from the list's index whatever its depth
 * (where {@code OFFSET} reads and skips every row before the page). Opaque to clients: URL-safe base64 of
 * {@code <created_at>|<id>}.
 */
public record ListCursor(Instant createdAt, String id) {

    /** The condition of the rows after the cursor; binds three parameters, see {@link #bind}. */
    public static final String AFTER = " AND created_at <= ? AND (created_at < ? OR id < ?)";

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in {@code text}, or empty when {@code text} is not one this class made. */
    public static Optional<ListCursor> decode(String text) {
        if (text == null || text.length() > 200) {
            return Optional.empty();
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text.trim()), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            if (bar < 0 || bar == raw.length() - 1 || raw.indexOf('\0') >= 0) {
                return Optional.empty();
            }
            return Optional.of(new ListCursor(Instant.parse(raw.substring(0, bar)), raw.substring(bar + 1)));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Binds {@link #AFTER}'s three parameters from {@code index}; returns the next free index. */
    public int bind(PreparedStatement ps, int index) throws SQLException {
        Jdbc.setInstant(ps, index, createdAt);
        Jdbc.setInstant(ps, index + 1, createdAt);
        ps.setString(index + 2, id);
        return index + 3;
    }

    /** The cursor after a full page whose last row is {@code (createdAt, id)}; null after a short (last) page. */
    public static String next(int pageSize, int limit, Instant createdAt, String id) {
        return pageSize < limit || createdAt == null ? null : new ListCursor(createdAt, id).encode();
    }
}
