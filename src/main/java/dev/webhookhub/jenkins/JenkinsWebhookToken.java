package dev.webhookhub.jenkins;

import dev.webhookhub.security.Hmac;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The shared token of {@code POST /api/webhooks/jenkins} (JENKINS_WEBHOOK_TOKEN). Jenkins signs nothing, so when a
 * token is configured a request must present it, as the {@code token} query parameter or as the password of HTTP
 * basic authentication (the Notification plugin sends {@code user:token@} from its URL that way).
 */
public final class JenkinsWebhookToken {

    private final String token;

    public JenkinsWebhookToken(String token) {
        this.token = token == null || token.isBlank() ? null : token;
    }

    public boolean required() {
        return token != null;
    }

    /** Whether the request may pass: no token configured, or one of the presented values matches (constant time). */
    public boolean accepts(String queryToken, String authorization) {
        if (token == null) {
            return true;
        }
        boolean valid = Hmac.equalsConstantTime(queryToken == null ? "" : queryToken, token);
        valid |= Hmac.equalsConstantTime(basicPassword(authorization), token);
        return valid;
    }

    static String basicPassword(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "";
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? "" : decoded.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
