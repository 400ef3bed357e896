package dev.webhookhub.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notification templates: files in a directory engineers edit without rebuilding (read again when they change).
 * For an event type {@code T} each part is looked up as {@code T.<part>}, then {@code <family>.<part>} (the family is
 * what comes before the first {@code _} or {@code .}: {@code build}, {@code deployment}, {@code sync}, ...), then
 * {@code default.<part>}; parts are {@code subject.txt}, {@code txt} and {@code html}. A {@code ${field}} placeholder is
 * replaced by the field's value (empty when the event has none; a line whose placeholders are all empty is left out);
 * in HTML templates values are HTML-escaped.
 */
public final class NotificationTemplates {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationTemplates.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9_.-]+");

    /** Used when the templates directory has no file for a part at all. */
    static final Map<String, String> BUILT_IN = Map.of(
            "subject.txt", "${icon} ${title}: ${subject}",
            "txt", "${title}\n${subject_label}: ${subject}\n\n${details}\n${link_line}\n",
            "html", "<h2>${title}</h2><p>${subject_label}: <strong>${subject}</strong></p>${details}"
                    + "<p><a href=\"${link}\">${link}</a></p>");

    private record Cached(FileTime modified, long size, String text) {
    }

    private final Path dir;
    private final Map<Path, Cached> cache = new ConcurrentHashMap<>();

    public NotificationTemplates(Path dir) {
        this.dir = dir;
        if (!Files.isDirectory(dir)) {
            LOG.warn("notification templates directory {} does not exist: built-in templates are used",
                    dir.toAbsolutePath());
        }
    }

    public Path dir() {
        return dir;
    }

    /** Renders the three parts for an event type from the values ({@link NotificationContent}). */
    public RenderedMessage render(String eventType, NotificationContent.Values values) {
        String subject = fill(template(eventType, "subject.txt"), values, false)
                .replaceAll("[\\r\\n]+", " ").trim();
        String text = fill(template(eventType, "txt"), values, false);
        String html = fill(template(eventType, "html"), values, true);
        return new RenderedMessage(subject, text, html);
    }

    String template(String eventType, String part) {
        String type = eventType == null ? "" : eventType.toLowerCase(java.util.Locale.ROOT);
        String family = type.split("[_.]", 2)[0];
        for (String name : new String[] { type, family, "default" }) {
            if (name.isEmpty() || !SAFE_NAME.matcher(name).matches()) {
                continue;
            }
            String t = read(dir.resolve(name + "." + part));
            if (t != null) {
                return t;
            }
        }
        return BUILT_IN.get(part);
    }

    /** The file's text, read again when its modification time or size changed; null when there is no such file. */
    private String read(Path file) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            Cached c = cache.get(file);
            if (c != null && c.modified().equals(modified) && c.size() == size) {
                return c.text();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            cache.put(file, new Cached(modified, size, text));
            return text;
        } catch (NoSuchFileException e) {
            cache.remove(file);
            return null;
        } catch (IOException e) {
            LOG.warn("cannot read notification template {}: {}", file, e.toString());
            Cached c = cache.get(file);
            return c == null ? null : c.text();
        }
    }

    /** Fills the placeholders; a line whose placeholders are all empty is left out (an optional line). */
    static String fill(String template, NotificationContent.Values values, boolean html) {
        StringBuilder out = new StringBuilder();
        for (String line : template.split("(?<=\n)")) {
            Matcher m = PLACEHOLDER.matcher(line);
            StringBuilder filled = new StringBuilder();
            boolean any = false;
            boolean allEmpty = true;
            while (m.find()) {
                any = true;
                String value = html ? values.html(m.group(1)) : values.text(m.group(1));
                allEmpty &= values.text(m.group(1)).isEmpty();
                m.appendReplacement(filled, Matcher.quoteReplacement(value));
            }
            m.appendTail(filled);
            if (!any || !allEmpty) {
                out.append(filled);
            }
        }
        return out.toString();
    }

    public static String escapeHtml(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
