package dev.webhookhub.results;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The four stages a pipeline reports, each with its field in the results document. */
public enum Stage {
    BUILD("build", "build_results"),
    ANALYSIS("analysis", "analysis_results"),
    FIX("fix", "fix_results"),
    TEST("test", "test_results");

    private final String path;
    private final String field;

    Stage(String path, String field) {
        this.path = path;
        this.field = field;
    }

    /** The name in {@code /api/pipelines/{id}/stages/{name}}. */
    public String path() {
        return path;
    }

    /** The field (and column) holding the stage's result. */
    public String field() {
        return field;
    }

    public static Optional<Stage> ofPath(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.path.equals(n)).findFirst();
    }

    public static Optional<Stage> ofField(String field) {
        return Arrays.stream(values()).filter(s -> s.field.equals(field)).findFirst();
    }
}
