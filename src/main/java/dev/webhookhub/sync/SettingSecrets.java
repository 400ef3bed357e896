package dev.webhookhub.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.security.SecretCipher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Connector settings that are secrets ({@code password}, {@code token}, {@code secret}, {@code api_token}): sealed
 * with the hub's secret key at rest, shown as {@value #MASK} by the API, opened only to instantiate a connector.
 */
final class SettingSecrets {

    static final Set<String> NAMES = Set.of("password", "token", "secret", "api_token");
    static final String MASK = "********";
    private static final String SEALED = "sealed:";

    private final SecretCipher cipher;

    SettingSecrets(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** Seals new secret values; a masked value keeps the previous sealed one (from {@code previous}, may be null). */
    ObjectNode seal(ObjectNode settings, ObjectNode previous) {
        ObjectNode out = settings.deepCopy();
        for (String name : names(settings)) {
            String v = out.get(name).asText();
            if (MASK.equals(v) && previous != null && previous.hasNonNull(name)) {
                out.set(name, previous.get(name));
            } else if (!v.isEmpty()) {
                out.put(name, SEALED + cipher.encrypt(v));
            }
        }
        return out;
    }

    ObjectNode open(ObjectNode settings) {
        ObjectNode out = settings.deepCopy();
        for (String name : names(settings)) {
            String v = out.get(name).asText();
            if (v.startsWith(SEALED)) {
                out.put(name, cipher.decrypt(v.substring(SEALED.length())));
            }
        }
        return out;
    }

    static ObjectNode redact(ObjectNode settings) {
        ObjectNode out = settings.deepCopy();
        for (String name : names(settings)) {
            if (!out.get(name).asText().isEmpty()) {
                out.put(name, MASK);
            }
        }
        return out;
    }

    private static List<String> names(ObjectNode settings) {
        List<String> out = new ArrayList<>();
        settings.fieldNames().forEachRemaining(n -> {
            JsonNode v = settings.get(n);
            if (NAMES.contains(n) && v != null && v.isTextual()) {
                out.add(n);
            }
        });
        return out;
    }
}
