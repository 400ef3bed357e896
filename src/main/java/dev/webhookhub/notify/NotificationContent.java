package dev.webhookhub.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.events.HubEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fields templates and chat payloads use, made from an event: its own fields ({@code event_type},
 * {@code event_id}, {@code time}, {@code subject}, {@code subject_key}, {@code service_id}, {@code sync_config_id}),
 * every data field by name, and derived ones: {@code title} ("Sync Failed"), {@code icon} (✓ ✗ ▶ ↺ •),
 * {@code subject_label} ("Service", "Configuration", ...), {@code status}, {@code link} (http(s) only),
 * {@code link_line}, {@code duration} ("2m 30s", from the data or from start and end), {@code started_at} /
 * {@code finished_at} as {@code yyyy-MM-dd HH:mm:ss UTC}, and {@code details} (every data field, one a line; a
 * table in HTML).
 */
public final class NotificationContent {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final Set<String> TIME_FIELDS = Set.of("time", "started_at", "finished_at", "completed_at",
            "created_at", "updated_at");
    private static final String[] LINK_FIELDS = { "url", "link", "html_url", "run_url", "compare_url" };

    private final ObjectMapper mapper;

    public NotificationContent(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Field values as text, with HTML versions of the few that are markup (details). */
    public static final class Values {
        private final Map<String, String> text;
        private final Map<String, String> rawHtml;

        Values(Map<String, String> text, Map<String, String> rawHtml) {
            this.text = text;
            this.rawHtml = rawHtml;
        }

        public String text(String field) {
            return text.getOrDefault(field, "");
        }

        public String html(String field) {
            String raw = rawHtml.get(field);
            return raw != null ? raw : NotificationTemplates.escapeHtml(text(field));
        }

        public Map<String, String> all() {
            return text;
        }
    }

    public Values values(HubEvent event, Map<String, String> extra) {
        Map<String, String> v = new LinkedHashMap<>();
        Map<String, String> data = new LinkedHashMap<>();
        event.data().forEach((k, val) -> {
            if (val != null) {
                data.put(k, TIME_FIELDS.contains(k) ? time(asText(val)) : asText(val));
            }
        });
        v.putAll(data);
        v.put("event_type", event.type());
        v.put("event_id", event.id());
        v.put("time", TIME.format(event.time()));
        v.put("subject", event.subject() != null ? event.subject()
                : event.subjectKey() != null ? event.subjectKey() : "Webhook Hub");
        v.put("subject_key", nz(event.subjectKey()));
        v.put("service_id", nz(event.serviceId()));
        v.put("sync_config_id", nz(event.syncConfigId()));
        v.put("title", title(event.type()));
        v.put("icon", icon(event.type(), event.text("status")));
        v.put("subject_label", subjectLabel(event));
        v.put("status", nz(event.text("status")));
        String link = link(event);
        v.put("link", link);
        v.put("link_line", link.isEmpty() ? "" : "Link: " + link);
        v.put("duration", duration(event));
        String commit = nz(event.text("commit"));
        String shortCommit = commit.length() > 12 ? commit.substring(0, 7) : commit;
        v.put("commit_short", shortCommit);
        v.put("commit_ref", shortCommit.isEmpty() ? "" : "(" + shortCommit + ")");
        v.putAll(extra);

        StringBuilder lines = new StringBuilder();
        StringBuilder table = new StringBuilder("<table>");
        data.forEach((k, val) -> {
            lines.append(label(k)).append(": ").append(val).append('\n');
            table.append("<tr><th align=\"left\">").append(NotificationTemplates.escapeHtml(label(k)))
                    .append("</th><td>").append(NotificationTemplates.escapeHtml(val)).append("</td></tr>");
        });
        table.append("</table>");
        v.put("details", lines.toString().stripTrailing());
        return new Values(v, Map.of("details", table.toString()));
    }

    private String asText(Object val) {
        if (val instanceof Map || val instanceof Iterable || val instanceof Object[]) {
            try {
                return mapper.writeValueAsString(val);
            } catch (JsonProcessingException e) {
                return String.valueOf(val);
            }
        }
        return String.valueOf(val);
    }

    /** "sync_failed" → "Sync Failed", "delivery.exhausted" → "Delivery Exhausted". */
    public static String title(String type) {
        StringBuilder b = new StringBuilder();
        for (String w : type.split("[_.]")) {
            if (!w.isEmpty()) {
                b.append(b.length() == 0 ? "" : " ").append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
            }
        }
        return b.toString();
    }

    public static String icon(String type, String status) {
        String t = type.toLowerCase(Locale.ROOT);
        String s = status == null ? "" : status.toLowerCase(Locale.ROOT);
        if (t.endsWith("failed") || t.endsWith("exhausted") || t.endsWith("disabled") || t.equals("conflict_detected")
                || s.equals("failure") || s.equals("failed") || s.equals("error")) {
            return "✗";
        }
        if (t.equals("deployment_rollback")) {
            return "↺";
        }
        if (t.endsWith("started")) {
            return "▶";
        }
        if (t.endsWith("completed") || s.equals("success") || s.equals("succeeded")) {
            return "✓";
        }
        return "•";
    }

    private static String subjectLabel(HubEvent event) {
        String key = event.subjectKey() == null ? "" : event.subjectKey();
        if (key.startsWith("sync:") || event.syncConfigId() != null && event.serviceId() == null) {
            return "Configuration";
        }
        if (key.startsWith("service:") || event.serviceId() != null) {
            return "Service";
        }
        if (key.startsWith("endpoint:")) {
            return "Endpoint";
        }
        if (key.startsWith("job:") || key.startsWith("pipeline:")) {
            return "Pipeline";
        }
        return "Subject";
    }

    private static String link(HubEvent event) {
        for (String f : LINK_FIELDS) {
            String v = event.text(f);
            if (v != null && (v.startsWith("https://") || v.startsWith("http://")) && !v.contains("\n")) {
                return v;
            }
        }
        return "";
    }

    static String duration(HubEvent event) {
        Object d = event.data().get("duration");
        if (d instanceof Number n) {
            return human(Duration.ofMillis(Math.round(n.doubleValue() * 1000)));
        }
        if (d != null && !d.toString().isBlank()) {
            return d.toString();
        }
        Object ms = event.data().get("duration_ms");
        if (ms instanceof Number n) {
            return human(Duration.ofMillis(n.longValue()));
        }
        Instant start = instant(event.text("started_at"));
        Instant end = instant(event.text("finished_at") != null ? event.text("finished_at")
                : event.text("completed_at"));
        return start != null && end != null && !end.isBefore(start) ? human(Duration.between(start, end)) : "";
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s == 0 && d.toMillis() > 0 ? d.toMillis() + "ms" : s + "s";
        }
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return (h > 0 ? h + "h " : "") + (h > 0 || m > 0 ? m + "m " : "") + sec + "s";
    }

    private static String time(String s) {
        Instant i = instant(s);
        return i == null ? s : TIME.format(i);
    }

    private static Instant instant(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s.trim()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s.trim());
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static String label(String field) {
        return title(field).replaceAll("\\bId\\b", "ID").replaceAll("\\bUrl\\b", "URL");
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
