package dev.webhookhub.inbound;

import com.fasterxml.jackson.databind.JsonNode;

/** Null-safe reads of optional JSON fields. */
final class Json {

    private Json() {
    }

    static String text(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            if (n == null) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    static String firstText(JsonNode... candidates) {
        for (JsonNode n : candidates) {
            if (n != null && !n.isNull() && !n.isContainerNode()) {
                return n.asText();
            }
        }
        return null;
    }

    static boolean isZeroSha(String sha) {
        return sha != null && !sha.isEmpty() && sha.chars().allMatch(ch -> ch == '0');
    }
}
