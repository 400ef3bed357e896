package dev.webhookhub.security;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;

/**
 * Makes Camel mask every credential of the hub in its start-up "Property-placeholders summary". Camel masks a key
 * when its last segment (lower case, without '-') is one of its own keywords (password, secret, secretkey, token...)
 * or occurs in {@code camel.main.additionalSensitiveKeywords}; {@code hub.admin-token} ("admintoken"),
 * {@code hub.jenkins.api-token}, {@code hub.foundries.secrets.<name>} and others are not among Camel's. So the last
 * segment of every {@code hub.*} key that names a credential is added to the context's additional keywords.
 */
public final class SensitiveSettings {

    /** A hub setting holding a credential: its name says token, secret, password or key, or it is a named secret. */
    private static final Pattern CREDENTIAL = Pattern.compile(
            "^hub\\.(?:foundries\\.secrets\\..+|.*(?:token|secret|password|passwd|credential|private|key)[^.]*)$");

    private SensitiveSettings() {
    }

    public static boolean isCredential(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        // durations and sizes about secrets (hub.secret-rotation-grace-seconds) are not secrets
        return CREDENTIAL.matcher(k).matches() && !k.matches(".*-(?:seconds|ms|bytes|size)$");
    }

    public static void register(CamelContext context) {
        Set<String> words = new TreeSet<>();
        String existing = context.getCamelContextExtension().getAdditionalSensitiveKeywords();
        if (existing != null && !existing.isBlank()) {
            for (String w : existing.split(",")) {
                if (!w.isBlank()) {
                    words.add(w.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        for (String key : context.getPropertiesComponent().loadProperties(k -> k.startsWith("hub."))
                .stringPropertyNames()) {
            if (isCredential(key)) {
                words.add(lastSegment(key));
            }
        }
        context.getCamelContextExtension().setAdditionalSensitiveKeywords(String.join(",", words));
    }

    /** As Camel compares it: after the last '.', lower case, without '-'. */
    static String lastSegment(String key) {
        return key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT).replace("-", "");
    }
}
