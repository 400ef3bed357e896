package dev.webhookhub.security;

import java.nio.file.Path;

/** The bearer token every admin endpoint requires. */
public final class AdminToken {

    public static final String FILE_NAME = "admin-token";
    /** Shortest admin token accepted from the settings or the environment (the generated one has 43 characters). */
    public static final int MIN_CONFIGURED_LENGTH = 32;

    private final String token;

    private AdminToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the admin token must not be empty");
        }
        this.token = token;
    }

    /**
     * Uses the configured token, or reads/creates {@code <dataDir>/admin-token} (mode 0600). A configured token
     * shorter than {@link #MIN_CONFIGURED_LENGTH} characters is refused: the hub does not start with a guessable one.
     */
    public static AdminToken resolve(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            String token = configured.trim();
            if (token.length() < MIN_CONFIGURED_LENGTH) {
                throw new IllegalArgumentException("the admin token (hub.admin-token / HUB_ADMIN_TOKEN) has "
                        + token.length() + " characters; at least " + MIN_CONFIGURED_LENGTH
                        + " are required (leave it empty to have the hub generate one)");
            }
            return new AdminToken(token);
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
