package dev.webhookhub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** Real Git repositories made in a test with JGit: a branch, files, commits; cloned by the hub over file://. */
public final class GitRepos implements AutoCloseable {

    private final Git git;
    private final Path dir;

    private GitRepos(Git git, Path dir) {
        this.git = git;
        this.dir = dir;
    }

    /** A repository with a Dockerfile, a .dockerignore (excluding secrets.txt and tmp/) and one commit on main. */
    public static GitRepos withDockerfile(Path dir) {
        try {
            Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
            GitRepos r = new GitRepos(git, dir);
            r.commit("first", Map.of("Dockerfile", "FROM alpine:3.20\nCOPY . /app\n",
                    ".dockerignore", "# local files\nsecrets.txt\ntmp/\n",
                    "app.txt", "version 1\n", "secrets.txt", "do not send\n", "tmp/cache.bin", "x"));
            return r;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return dir.toUri().toString();
    }

    public String head() {
        try {
            return git.getRepository().resolve("HEAD").name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the files and commits them; returns the new commit's SHA. */
    public String commit(String message, Map<String, String> files) {
        try {
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            }
            git.add().addFilepattern(".").call();
            PersonIdent me = new PersonIdent("Octo Cat", "octo@example.test");
            return git.commit().setMessage(message).setAuthor(me).setCommitter(me).call().name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
