package dev.webhookhub.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * A secret sent as it is rather than a signature (GitLab's {@code X-Gitlab-Token}, the password of HTTP basic
 * authentication, Jenkins' {@code ?token=}): valid when a presented value equals one of the secrets, compared in
 * constant time over every secret and every presented value.
 */
public final class SharedSecretScheme implements SignatureScheme {

    private final String name;
    private final Function<SignedRequest, List<String>> presented;
    private final java.util.function.Predicate<SignedRequest> missing;
    private final String missingCode;
    private final String missingMessage;
    private final String invalidMessage;

    private SharedSecretScheme(String name, Function<SignedRequest, List<String>> presented,
            java.util.function.Predicate<SignedRequest> missing, String missingCode, String missingMessage,
            String invalidMessage) {
        this.name = name;
        this.presented = presented;
        this.missing = missing;
        this.missingCode = missingCode;
        this.missingMessage = missingMessage;
        this.invalidMessage = invalidMessage;
    }

    /** The secret in a header ({@code X-Gitlab-Token}). */
    public static SharedSecretScheme header(String name, String header, String missingMessage) {
        Function<SignedRequest, List<String>> values = r -> {
            String v = r.header(header);
            return v == null || v.isEmpty() ? List.of() : List.of(v);
        };
        return new SharedSecretScheme(name, values, r -> values.apply(r).isEmpty(), "missing_signature",
                missingMessage, header + " does not match");
    }

    /** The secret as the password of HTTP basic authentication (any user name). */
    public static SharedSecretScheme basicAuth(String name, String missingMessage) {
        Function<SignedRequest, List<String>> values = r -> {
            String password = basicPassword(r.header("Authorization"));
            return password == null ? List.of() : List.of(password);
        };
        return new SharedSecretScheme(name, values, r -> values.apply(r).isEmpty(), "missing_credentials",
                missingMessage, "the basic authentication password does not match");
    }

    /** The secret as the {@code token} query parameter or as the basic-authentication password (Jenkins). */
    public static SharedSecretScheme queryTokenOrBasicAuth(String name, String message) {
        // both are always compared (an absent one as ""), so the time taken does not tell which was sent
        return new SharedSecretScheme(name, r -> List.of(orEmpty(r.queryParam("token")),
                orEmpty(basicPassword(r.header("Authorization")))),
                r -> r.queryParam("token") == null && r.header("Authorization") == null, "missing_token", message,
                message);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean presentIn(SignedRequest request) {
        return !missing.test(request);
    }

    @Override
    public Verdict verify(SignedRequest request, List<String> secrets) {
        if (missing.test(request)) {
            return Verdict.refused(missingCode, missingMessage);
        }
        boolean valid = false;
        for (String value : presented.apply(request)) {
            for (String secret : secrets) {
                valid |= Hmac.equalsConstantTime(value, secret);
            }
        }
        return valid ? Verdict.VALID : Verdict.refused("invalid_token", invalidMessage);
    }

    /** The password of an HTTP basic {@code Authorization} header, or null when there is none. */
    public static String basicPassword(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
