package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** The small JSON path the connectors use to find things in an answer: {@code $}, {@code $.a.b}, {@code $.a[0].b}. */
final class ItemPath {

    private ItemPath() {
    }

    static JsonNode find(JsonNode root, String path) {
        String p = path == null ? "$" : path.trim();
        if (!p.startsWith("$")) {
            throw new IllegalArgumentException("a JSON path starts with $: " + path);
        }
        JsonNode node = root;
        for (String part : p.substring(1).split("\\.")) {
            if (part.isEmpty() || part.equals("[*]")) {
                continue;
            }
            String name = part;
            while (true) {
                int b = name.indexOf('[');
                String field = b < 0 ? name : name.substring(0, b);
                if (!field.isEmpty()) {
                    node = node == null ? null : node.get(field);
                }
                if (b < 0) {
                    break;
                }
                int e = name.indexOf(']', b);
                String index = name.substring(b + 1, e);
                if (!index.equals("*")) {
                    node = node == null ? null : node.get(Integer.parseInt(index));
                }
                name = name.substring(e + 1);
            }
        }
        return node == null ? MissingNode.getInstance() : node;
    }
}
