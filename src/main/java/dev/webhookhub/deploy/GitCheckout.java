package dev.webhookhub.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Checks a repository out at one commit with JGit (no git binary): https with a token (sent as the password of
 * user {@code x-access-token}, which GitHub, GitLab and Bitbucket accept), file://, or ssh where JGit allows.
 */
public final class GitCheckout {

    private GitCheckout() {
    }

    /**
     * Clones {@code url} into {@code dir} and checks out {@code commit}, or the head of {@code branch} when the
     * commit is not given. Returns the commit checked out (full SHA).
     */
    public static String checkout(String url, String commit, String branch, String token, Path dir)
            throws IOException {
        delete(dir);
        Files.createDirectories(dir.getParent());
        var clone = Git.cloneRepository().setURI(url).setDirectory(dir.toFile());
        if (token != null && !token.isBlank()) {
            clone.setCredentialsProvider(new UsernamePasswordCredentialsProvider("x-access-token", token));
        }
        if (commit == null && branch != null) {
            clone.setBranch(branch);
        }
        try (Git git = clone.call()) {
            String target = commit;
            if (target == null) {
                ObjectId head = git.getRepository().resolve(branch == null ? "HEAD" : "refs/remotes/origin/" + branch);
                if (head == null) {
                    throw new IOException("branch " + branch + " not found in " + url);
                }
                target = head.name();
            }
            ObjectId id = git.getRepository().resolve(target + "^{commit}");
            if (id == null) {
                throw new IOException("commit " + target + " not found in " + url);
            }
            git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(id.name()).call();
            return id.name();
        } catch (GitAPIException e) {
            throw new IOException("git: " + e.getMessage(), e);
        }
    }

    /** Deletes a directory tree (no error when it is not there). */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        }
    }
}
