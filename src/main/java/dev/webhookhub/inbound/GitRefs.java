package dev.webhookhub.inbound;

/** Git ref names. */
final class GitRefs {

    private GitRefs() {
    }

    /** {@code refs/heads/main} -> {@code main}, {@code refs/tags/v1} -> {@code v1}; other values unchanged. */
    static String shortName(String ref) {
        if (ref == null) {
            return null;
        }
        if (ref.startsWith("refs/heads/")) {
            return ref.substring("refs/heads/".length());
        }
        if (ref.startsWith("refs/tags/")) {
            return ref.substring("refs/tags/".length());
        }
        return ref;
    }
}
