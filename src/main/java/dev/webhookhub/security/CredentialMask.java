package dev.webhookhub.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How credential-like values are shown in API answers, events and backup files. A URL keeps its scheme, host, port
 * and the shape of its path; its user info, query values, fragment, last path segment (when the path has two or
 * more) and any long token-like segment become {@code ****}:
 * {@code https://hooks.slack.com/services/T000/B000/XXXX} shows as {@code https://hooks.slack.com/services/T000/B000/****},
 * {@code https://user:pass@ci.example.com/hook?token=abc} as {@code https://****@ci.example.com/hook?token=****}.
 * Custom header values show as {@code ****}.
 */
public final class CredentialMask {

    public static final String MASK = "****";
    private static final int TOKEN_LENGTH = 16;

    private CredentialMask() {
    }

    public static String url(String url) {
        if (url == null) {
            return null;
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            return MASK;
        }
        if (u.getScheme() == null || u.getRawAuthority() == null) {
            return MASK;
        }
        StringBuilder b = new StringBuilder(u.getScheme()).append("://");
        String authority = u.getRawAuthority();
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            b.append(MASK).append('@');
            authority = authority.substring(at + 1);
        }
        b.append(authority);
        String path = u.getRawPath();
        if (path != null && !path.isEmpty()) {
            String[] segments = path.split("/", -1);
            int last = -1;
            int count = 0;
            for (int i = 0; i < segments.length; i++) {
                if (!segments[i].isEmpty()) {
                    last = i;
                    count++;
                }
            }
            for (int i = 0; i < segments.length; i++) {
                if (i > 0) {
                    b.append('/');
                }
                String s = segments[i];
                boolean secret = !s.isEmpty() && (i == last && count >= 2 || isTokenLike(s));
                b.append(secret ? MASK : s);
            }
        }
        if (u.getRawQuery() != null) {
            b.append('?');
            String[] params = u.getRawQuery().split("&", -1);
            for (int i = 0; i < params.length; i++) {
                if (i > 0) {
                    b.append('&');
                }
                int eq = params[i].indexOf('=');
                b.append(eq < 0 ? params[i] : params[i].substring(0, eq + 1) + (eq == params[i].length() - 1 ? ""
                        : MASK));
            }
        }
        if (u.getRawFragment() != null) {
            b.append('#').append(MASK);
        }
        return b.toString();
    }

    /** Whether the URL shown holds a mask (so it is not a URL anyone could send to). */
    public static boolean isMasked(String url) {
        return url != null && url.contains(MASK);
    }

    public static Map<String, String> headers(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(k, MASK));
        return out;
    }

    private static boolean isTokenLike(String segment) {
        return segment.length() >= TOKEN_LENGTH && segment.chars().anyMatch(Character::isDigit);
    }
}
