package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * The exact parts of the http-json connectors (routes/connectors/*-http-json.yaml), bound as
 * {@code syncHttpJson}: the Authorization header, one page of items and the next page's URL, the update URL and the
 * created item's id. The templates pass their parameters as exchange properties ({@code sync*}).
 */
public final class HttpJsonConnector {

    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;[^,]*rel=\"?next\"?",
            Pattern.CASE_INSENSITIVE);

    private final ObjectMapper mapper;

    public HttpJsonConnector(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code Basic ...}, {@code Bearer ...}, or null for {@code auth} none. */
    public String authorization(Exchange e) {
        String auth = prop(e, "syncAuth").toLowerCase(Locale.ROOT);
        switch (auth) {
            case "", "none" -> {
                return null;
            }
            case "basic" -> {
                return "Basic " + Base64.getEncoder().encodeToString((prop(e, "syncUsername") + ":"
                        + prop(e, "syncPassword")).getBytes(StandardCharsets.UTF_8));
            }
            case "bearer" -> {
                return "Bearer " + prop(e, "syncToken");
            }
            default -> throw new IllegalArgumentException("auth must be none, basic or bearer, not " + auth);
        }
    }

    /**
     * Reads one page (the body): appends the items at {@code sync.items} to {@code sync.collected} and sets
     * {@code sync.nextUrl} from {@code sync.next} (a JSON path in the answer) or the Link header's rel="next".
     */
    public void page(Exchange e) throws Exception {
        String text = e.getMessage().getBody(String.class);
        JsonNode root = mapper.readTree(text == null ? "null" : text);
        JsonNode items = ItemPath.find(root, prop(e, "syncItems").isEmpty() ? "$" : prop(e, "syncItems"));
        ArrayNode all = e.getProperty("syncCollected", ArrayNode.class);
        if (all == null) {
            all = mapper.createArrayNode();
            e.setProperty("syncCollected", all);
        }
        if (items.isArray()) {
            all.addAll((ArrayNode) items);
        } else if (!items.isMissingNode() && !items.isNull()) {
            throw new IllegalArgumentException("items (" + prop(e, "syncItems") + ") is not a list in the answer");
        }
        String next = null;
        if (!prop(e, "syncNext").isEmpty()) {
            JsonNode n = ItemPath.find(root, prop(e, "syncNext"));
            next = n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
        }
        String link = e.getMessage().getHeader("Link", String.class);
        if (next == null && link != null) {
            Matcher m = NEXT_LINK.matcher(link);
            next = m.find() ? m.group(1) : null;
        }
        int pages = e.getProperty("syncPages", 0, Integer.class) + 1;
        e.setProperty("syncPages", pages);
        int max = Integer.parseInt(prop(e, "syncMaxPages").isEmpty() ? "100" : prop(e, "syncMaxPages"));
        if (next != null && pages >= max) {
            throw new IllegalStateException("more than max_pages (" + max + ") pages");
        }
        String current = prop(e, "syncNextUrl");
        e.setProperty("syncNextUrl", next == null ? null : URI.create(current).resolve(next).toString());
        e.getMessage().removeHeaders("*", "Authorization");
    }

    /** The items read so far (the source route's answer). */
    public String collected(Exchange e) {
        ArrayNode all = e.getProperty("syncCollected", ArrayNode.class);
        return all == null ? "[]" : all.toString();
    }

    /** {@code sync.updateUrl} with {id} replaced by the target id (URL-encoded). */
    public String updateUrl(Exchange e) {
        String template = prop(e, "syncUpdateUrl").isEmpty() ? prop(e, "syncUrl") + "/{id}"
                : prop(e, "syncUpdateUrl");
        String id = e.getMessage().getHeader(SyncRunner.TARGET_ID, String.class);
        return template.replace("{id}", URLEncoder.encode(id == null ? "" : id, StandardCharsets.UTF_8)
                .replace("+", "%20"));
    }

    /** After a create: the new item's id from the answer's {@code sync.responseId} field (else kept). */
    public void createdId(Exchange e) throws Exception {
        if (!"create".equals(e.getMessage().getHeader(SyncRunner.OPERATION, String.class))) {
            return;
        }
        String text = e.getMessage().getBody(String.class);
        if (text == null || text.isBlank()) {
            return;
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (Exception ex) {
            return;
        }
        String path = prop(e, "syncResponseId").isEmpty() ? "id" : prop(e, "syncResponseId");
        JsonNode id = path.startsWith("$") ? ItemPath.find(root, path) : root == null ? null : root.get(path);
        if (id != null && id.isValueNode() && !id.isNull()) {
            e.getMessage().setHeader(SyncRunner.TARGET_ID, id.asText());
        }
    }

    private static String prop(Exchange e, String name) {
        String v = e.getProperty(name, String.class);
        return v == null ? "" : v.trim();
    }
}
