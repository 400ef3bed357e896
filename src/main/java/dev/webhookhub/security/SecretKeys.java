package dev.webhookhub.security;

import java.nio.file.Path;
import java.util.Base64;

/** Finds the AES key for secrets at rest: {@code HUB_SECRET_KEY} (base64, 32 bytes) or {@code <dataDir>/secret.key}. */
public final class SecretKeys {

    public static final String FILE_NAME = "secret.key";

    private SecretKeys() {
    }

    public static SecretCipher cipher(String configuredBase64, Path dataDir) {
        String b64 = configuredBase64 != null && !configuredBase64.isBlank()
                ? configuredBase64.trim()
                : OwnerOnlyFiles.readOrCreate(dataDir.resolve(FILE_NAME),
                        () -> Base64.getEncoder().encodeToString(RandomSecrets.bytes(32)));
        byte[] key;
        try {
            key = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HUB_SECRET_KEY is not valid base64", e);
        }
        return new SecretCipher(key);
    }
}
