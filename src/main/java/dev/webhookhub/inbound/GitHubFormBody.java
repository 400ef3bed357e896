package dev.webhookhub.inbound;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** GitHub's form-encoded delivery: the JSON is the URL-encoded value of the {@code payload} field. */
public final class GitHubFormBody {

    private GitHubFormBody() {
    }

    /**
     * The decoded {@code payload} field, or null when the body has none.
     *
     * @throws IllegalArgumentException when the field is not valid URL encoding
     */
    public static byte[] payloadField(byte[] raw) {
        String formBody = new String(raw, StandardCharsets.US_ASCII);
        for (String pair : formBody.split("&")) {
            if (pair.startsWith("payload=")) {
                return URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8)
                        .getBytes(StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
