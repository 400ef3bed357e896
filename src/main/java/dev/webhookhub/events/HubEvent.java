package dev.webhookhub.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One event on the hub's internal bus. {@code subject} names what the event is about in words (a service's name, a
 * sync config's name, an endpoint's URL); {@code subjectKey} identifies it for folding repeats ({@code service:<id>},
 * {@code sync:<id>}, {@code endpoint:<id>}). {@code serviceId} and {@code syncConfigId} say which scope it belongs
 * to (either may be null). {@code data} carries the details templates and payloads use (commit, status, link, ...).
 */
public record HubEvent(
        String id,
        String type,
        Instant time,
        String subjectKey,
        String subject,
        String serviceId,
        String syncConfigId,
        Map<String, Object> data) {

    public HubEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** The value of a data field as text, or null. */
    public String text(String field) {
        Object v = data.get(field);
        return v == null ? null : v.toString();
    }
}
