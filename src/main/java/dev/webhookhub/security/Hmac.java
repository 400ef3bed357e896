package dev.webhookhub.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC over raw bytes and constant-time comparison of the results. */
public final class Hmac {

    public static final String SHA256 = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private Hmac() {
    }

    public static byte[] sign(String algorithm, byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC " + algorithm + " unavailable", e);
        }
    }

    public static byte[] sha256(String key, byte[] body) {
        return sign(SHA256, key.getBytes(StandardCharsets.UTF_8), body);
    }

    public static String sha256Hex(String key, byte[] body) {
        return HEX.formatHex(sha256(key, body));
    }

    /**
     * Compares a hex digest sent by a peer with the expected bytes in constant time. A value that is not hex (or has
     * the wrong length) never matches.
     */
    public static boolean hexMatches(String presentedHex, byte[] expected) {
        if (presentedHex == null || presentedHex.length() != expected.length * 2) {
            return false;
        }
        byte[] presented;
        try {
            presented = HEX.parseHex(presentedHex.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(presented, expected);
    }

    /** Constant-time comparison of two strings by their UTF-8 bytes. */
    public static boolean equalsConstantTime(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
