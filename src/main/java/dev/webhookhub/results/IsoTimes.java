package dev.webhookhub.results;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The document's timestamps: ISO-8601 in UTC with milliseconds, as {@code 2025-08-24T10:30:45.123Z}. */
final class IsoTimes {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private IsoTimes() {
    }

    static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /** An ISO-8601 date-time with a zone offset ({@code Z} or {@code +02:00}); empty when it is not one. */
    static Optional<Instant> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.trim()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Seconds between two instants, to the millisecond. */
    static double seconds(Instant from, Instant to) {
        return (to.toEpochMilli() - from.toEpochMilli()) / 1000.0;
    }
}
