package dev.webhookhub.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * The Standard Webhooks symmetric scheme (v1): HMAC-SHA256 over {@code id.timestamp.body}, keyed with the base64
 * part of a {@code whsec_} secret, sent as a space-separated list of {@code v1,<base64>} signatures.
 */
public final class StandardWebhooksSignature {

    public static final String PREFIX = "whsec_";

    private final Clock clock;
    private final Duration tolerance;

    public StandardWebhooksSignature(Clock clock, Duration tolerance) {
        this.clock = clock;
        this.tolerance = tolerance;
    }

    /** Decodes a {@code whsec_} secret (prefix optional, padding optional) into the HMAC key. */
    public static byte[] key(String secret) {
        String b64 = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        return Base64.getDecoder().decode(pad(b64));
    }

    public static String sign(byte[] key, String msgId, long timestamp, byte[] body) {
        byte[] mac = Hmac.sign(Hmac.SHA256, key,
                (msgId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        return "v1," + Base64.getEncoder().encodeToString(mac);
    }

    public enum Result { VALID, INVALID_SIGNATURE, TIMESTAMP_OUT_OF_TOLERANCE, MALFORMED }

    public Result verify(byte[] key, String msgId, String timestampHeader, String signatureHeader, byte[] body) {
        if (msgId == null || timestampHeader == null || signatureHeader == null) {
            return Result.MALFORMED;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return Result.MALFORMED;
        }
        long now = clock.instant().getEpochSecond();
        // compared without subtracting the peer's value, which could overflow
        if (timestamp < now - tolerance.getSeconds() || timestamp > now + tolerance.getSeconds()) {
            return Result.TIMESTAMP_OUT_OF_TOLERANCE;
        }
        byte[] expected = Hmac.sign(Hmac.SHA256, key,
                (msgId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        boolean matched = false;
        for (String candidate : signatureHeader.trim().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !"v1".equals(candidate.substring(0, comma))) {
                continue;
            }
            byte[] presented;
            try {
                presented = Base64.getDecoder().decode(candidate.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            // no early exit: every listed signature is compared
            matched |= MessageDigest.isEqual(presented, expected);
        }
        return matched ? Result.VALID : Result.INVALID_SIGNATURE;
    }

    private static String pad(String b64) {
        int rem = b64.length() % 4;
        return rem == 0 ? b64 : b64 + "=".repeat(4 - rem);
    }
}
