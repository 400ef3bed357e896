package dev.webhookhub.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A checkout as a Docker build context: a tar of the directory without {@code .git} and without what
 * {@code .dockerignore} excludes. Patterns are globs relative to the context root ({@code *}, {@code **}, {@code ?});
 * a pattern that matches a directory excludes everything under it; {@code !pattern} lines include again; the last
 * matching line wins, as in Docker.
 */
public final class BuildContext {

    private record Rule(PathMatcher matcher, boolean exclude) {
    }

    private BuildContext() {
    }

    /** Writes the context of {@code dir} as a tar to {@code out}; returns how many files it holds. */
    public static int tar(Path dir, OutputStream out) throws IOException {
        List<Rule> rules = rules(dir.resolve(".dockerignore"));
        int files = 0;
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
                Stream<Path> walk = Files.walk(dir)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path p : walk.sorted().toList()) {
                if (p.equals(dir) || !Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (rel.equals(".git") || rel.startsWith(".git/") || excluded(rel, rules)) {
                    continue;
                }
                TarArchiveEntry e = new TarArchiveEntry(p.toFile(), rel);
                e.setMode(Files.isExecutable(p) ? 0755 : 0644);
                tar.putArchiveEntry(e);
                Files.copy(p, tar);
                tar.closeArchiveEntry();
                files++;
            }
            tar.finish();
        }
        return files;
    }

    static boolean excluded(String rel, List<Rule> rules) {
        boolean excluded = false;
        for (Rule r : rules) {
            if (matchesSelfOrParent(r.matcher(), rel)) {
                excluded = r.exclude();
            }
        }
        return excluded;
    }

    private static boolean matchesSelfOrParent(PathMatcher m, String rel) {
        String path = rel;
        while (true) {
            if (m.matches(Path.of(path))) {
                return true;
            }
            int slash = path.lastIndexOf('/');
            if (slash < 0) {
                return false;
            }
            path = path.substring(0, slash);
        }
    }

    private static List<Rule> rules(Path dockerignore) throws IOException {
        List<Rule> rules = new ArrayList<>();
        if (!Files.isRegularFile(dockerignore)) {
            return rules;
        }
        for (String line : Files.readAllLines(dockerignore, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            boolean exclude = !l.startsWith("!");
            String pattern = exclude ? l : l.substring(1).strip();
            pattern = pattern.replaceFirst("^(\\./|/)+", "");
            if (pattern.endsWith("/")) {
                pattern = pattern.substring(0, pattern.length() - 1);
            }
            if (pattern.isEmpty()) {
                continue;
            }
            rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + pattern), exclude));
        }
        return rules;
    }
}
