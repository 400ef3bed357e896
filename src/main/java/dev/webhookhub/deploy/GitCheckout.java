package dev.webhookhub.deploy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;

/**
 * Checks a repository out at one commit with JGit (no git binary): https with a token (sent as the password of
 * user {@code x-access-token}, which GitHub, GitLab and Bitbucket accept), ssh with a private key (see
 * {@link GitSsh}) or file://; shallow where it can be.
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
        return checkout(url, commit, branch, token, dir, step -> { });
    }

    /**
     * As above, saying what it does to {@code log}. With a branch, the clone is shallow (its tip only, depth 1);
     * when the commit asked for is not in that history (a newer push moved the branch on) or the server cannot
     * serve a shallow clone, it falls back to a full clone, so the exact commit is always what is checked out.
     */
    public static String checkout(String url, String commit, String branch, String token, Path dir,
            Consumer<String> log) throws IOException {
        return checkout(url, commit, branch, token, GitSsh.NONE, dir, log);
    }

    /**
     * As above; ssh URLs ({@code ssh://}, {@code user@host:path}) authenticate with {@code ssh}'s key and check the
     * host key against its known_hosts, with a session factory of this checkout only (its directory, next to
     * {@code dir}, is removed afterwards).
     */
    public static String checkout(String url, String commit, String branch, String token, GitSsh ssh, Path dir,
            Consumer<String> log) throws IOException {
        if (!isSsh(url)) {
            return checkoutWith(url, commit, branch, token, null, e -> false, dir, log);
        }
        URIish uri;
        try {
            uri = new URIish(url);
        } catch (URISyntaxException e) {
            throw new IOException("not a git ssh URL: " + e.getMessage());
        }
        if (!ssh.hasKey()) {
            throw new IOException("ssh clone of " + url + " needs a private key: set build_config.git_ssh_key "
                    + "or HUB_GIT_SSH_KEY");
        }
        Path sshDir = dir.resolveSibling(dir.getFileName() + ".ssh");
        GitSsh.HostKeyCheck check = ssh.hostKeyCheck(uri);
        SshdSessionFactory factory = ssh.sessionFactory(sshDir, check);
        try {
            return checkoutWith(url, commit, branch, token, transport -> {
                if (transport instanceof SshTransport t) {
                    t.setSshSessionFactory(factory);
                }
            }, e -> check.refusal() != null || isAuthFailure(e), dir, log);
        } catch (IOException e) {
            if (check.refusal() != null) {
                throw new IOException(check.refusal(), e);
            }
            throw sshError(uri, e);
        } finally {
            factory.close();
            delete(sshDir);
        }
    }

    /** An ssh failure said plainly: a refused key names the user and host (never the key). */
    private static IOException sshError(URIish uri, IOException e) {
        String m = String.valueOf(e.getMessage());
        if (isAuthFailure(e)) {
            return new IOException("ssh authentication as " + (uri.getUser() == null ? "(no user)" : uri.getUser())
                        + " at " + uri.getHost() + " failed: the server did not accept the key (build_config."
                        + "git_ssh_key or HUB_GIT_SSH_KEY)", e);
        }
        return e.getMessage() != null && e.getMessage().startsWith("ssh") ? e : new IOException("ssh: " + m, e);
    }

    private static boolean isAuthFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String cm = String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (cm.contains("authentication") || cm.contains("auth fail")) {
                return true;
            }
        }
        return false;
    }

    /** {@code final} failures (a refused host key or key) are not tried again with the full history. */
    private static String checkoutWith(String url, String commit, String branch, String token,
            TransportConfigCallback transport, java.util.function.Predicate<IOException> finalFailure, Path dir,
            Consumer<String> log) throws IOException {
        if (branch != null && !branch.isBlank()) {
            try {
                String sha = clone(url, commit, branch, token, transport, dir, true);
                if (sha != null) {
                    log.accept("shallow clone of branch " + branch + " (depth 1)");
                    return sha;
                }
                log.accept("commit " + commit + " is not the tip of " + branch + ": fetching the full history");
            } catch (IOException e) {
                if (finalFailure.test(e)) {
                    throw e;
                }
                log.accept("shallow clone failed (" + e.getMessage() + "): fetching the full history");
            }
        }
        String sha = clone(url, commit, branch, token, transport, dir, false);
        if (sha == null) {
            throw new IOException("commit " + commit + " not found in " + url);
        }
        return sha;
    }

    /** ssh://... or scp-like user@host:path. */
    static boolean isSsh(String url) {
        return url.startsWith("ssh://") || url.startsWith("git+ssh://") || url.matches("^[\\w.-]+@[\\w.-]+:.*")
                && !url.contains("://");
    }

    /** One clone; returns the commit checked out, or null when a shallow clone does not hold {@code commit}. */
    private static String clone(String url, String commit, String branch, String token,
            TransportConfigCallback transport, Path dir, boolean shallow) throws IOException {
        delete(dir);
        Files.createDirectories(dir.getParent());
        var clone = Git.cloneRepository().setURI(url).setDirectory(dir.toFile());
        if (transport != null) {
            clone.setTransportConfigCallback(transport);
        }
        if (token != null && !token.isBlank() && !isSsh(url)) {
            clone.setCredentialsProvider(new UsernamePasswordCredentialsProvider("x-access-token", token));
        }
        if (shallow) {
            clone.setBranch(branch).setBranchesToClone(List.of(Constants.R_HEADS + branch)).setDepth(1);
        } else if (commit == null && branch != null) {
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
            ObjectId id = resolveCommit(git, target);
            if (id == null) {
                if (shallow) {
                    return null;
                }
                throw new IOException("commit " + target + " not found in " + url);
            }
            git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(id.name()).call();
            return id.name();
        } catch (GitAPIException e) {
            throw new IOException("git: " + e.getMessage(), e);
        }
    }

    private static ObjectId resolveCommit(Git git, String target) throws IOException {
        try {
            ObjectId id = git.getRepository().resolve(target + "^{commit}");
            // a full SHA resolves even when its object is missing: make sure it is there
            return id != null && git.getRepository().getObjectDatabase().has(id) ? id : null;
        } catch (org.eclipse.jgit.errors.RevisionSyntaxException | org.eclipse.jgit.errors.MissingObjectException e) {
            return null;
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
