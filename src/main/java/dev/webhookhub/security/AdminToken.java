package dev.webhookhub.security;

import java.nio.file.Path;

/** The bearer token every admin endpoint requires. */
public final class AdminToken {

    public static final String FILE_NAME = "admin-token";

    private final String token;

    private AdminToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the admin token must not be empty");
        }
        this.token = token;
    }

    /** Uses the configured token, or reads/creates {@code <dataDir>/admin-token} (mode 0600). */
    public static AdminToken resolve(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return new AdminToken(configured.trim());
        }
        return new AdminToken(OwnerOnlyFiles.readOrCreate(dataDir.resolve(FILE_NAME), () -> RandomSecrets.token(32)));
    }

    /** Checks an {@code Authorization} header value of the form {@code Bearer <token>}. */
    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        String presented = authorizationHeader.substring(7).trim();
        return !presented.isEmpty() && Hmac.equalsConstantTime(presented, token);
    }

    public String value() {
        return token;
    }
}
