package dev.webhookhub.security;

import java.security.SecureRandom;
import java.util.Base64;

/** Strong random values for webhook secrets, tokens and keys. */
public final class RandomSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomSecrets() {
    }

    public static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** URL-safe token of {@code n} random bytes, no padding. */
    public static String token(int n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(n));
    }

    /** A Standard Webhooks secret: {@code whsec_} + base64 of 32 random bytes. */
    public static String standardWebhooksSecret() {
        return StandardWebhooksSignature.PREFIX + Base64.getEncoder().encodeToString(bytes(32));
    }
}
