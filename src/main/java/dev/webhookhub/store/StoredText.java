package dev.webhookhub.store;

/**
 * Fits text from requests into the store's columns. Whatever a sender puts in a path, header or payload must not
 * make a row unwritable: a value longer than its column is cut (never inside a surrogate pair) and NUL characters,
 * which PostgreSQL refuses in text, become U+FFFD.
 */
public final class StoredText {

    private StoredText() {
    }

    public static String fit(String value, int maxChars) {
        if (value == null) {
            return null;
        }
        String s = value.indexOf('\0') >= 0 ? value.replace('\0', '\uFFFD') : value;
        if (s.length() <= maxChars) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return s.substring(0, end);
    }
}
