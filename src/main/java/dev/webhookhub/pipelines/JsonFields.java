package dev.webhookhub.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Null-safe reads of the optional fields of CI payloads, including the timestamp styles the sources use. */
public final class JsonFields {

    private static final DateTimeFormatter GITLAB_ZONE_NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");
    private static final DateTimeFormatter GITLAB_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");

    private JsonFields() {
    }

    /** The text at {@code path}, or null when a step is missing, null, an object or an array, or blank. */
    public static String text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        if (n == null || n.isNull() || n.isContainerNode()) {
            return null;
        }
        String s = n.asText();
        return s.isBlank() ? null : s;
    }

    public static String firstText(JsonNode node, String[]... paths) {
        for (String[] path : paths) {
            String s = text(node, path);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    public static Long number(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.isNumber() ? n.asLong() : null;
    }

    public static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            if (n == null) {
                return null;
            }
            n = n.get(p);
        }
        return n;
    }

    /** ISO-8601 ({@code 2024-05-01T10:00:00+00:00}, {@code ...Z}) or GitLab's {@code 2016-08-12 15:23:28 UTC}. */
    public static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException ignored) {
            // next style
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException ignored) {
            // next style
        }
        for (DateTimeFormatter f : new DateTimeFormatter[] { GITLAB_ZONE_NAME, GITLAB_OFFSET }) {
            try {
                return ZonedDateTime.parse(v, f).toInstant();
            } catch (DateTimeParseException ignored) {
                // next style
            }
        }
        return null;
    }

    /** Milliseconds between two instants, or null unless both are known and in order. */
    public static Long between(Instant start, Instant end) {
        if (start == null || end == null || end.isBefore(start)) {
            return null;
        }
        return Duration.between(start, end).toMillis();
    }

    /** A duration given in (possibly fractional) seconds, in milliseconds. */
    public static Long secondsAsMillis(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.isNumber() ? Math.round(n.asDouble() * 1000) : null;
    }

    public static String shortRef(String ref) {
        if (ref == null) {
            return null;
        }
        for (String prefix : new String[] { "refs/heads/", "refs/tags/", "origin/", "refs/remotes/origin/" }) {
            if (ref.startsWith(prefix)) {
                return ref.substring(prefix.length());
            }
        }
        return ref;
    }
}
