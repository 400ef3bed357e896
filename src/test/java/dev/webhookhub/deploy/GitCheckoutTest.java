package dev.webhookhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webhookhub.support.GitRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkouts from real repositories (JGit, file://): shallow at the branch tip, full when the commit is older. */
class GitCheckoutTest {

    @TempDir
    Path tmp;

    @Test
    void theBranchTipIsClonedShallow() throws Exception {
        try (GitRepos repo = GitRepos.withDockerfile(tmp.resolve("repo"))) {
            repo.commit("two", Map.of("app.txt", "2\n"));
            String tip = repo.commit("three", Map.of("app.txt", "3\n"));
            List<String> log = new CopyOnWriteArrayList<>();

            Path work = tmp.resolve("work-tip");
            assertThat(GitCheckout.checkout(repo.url(), tip, "main", null, work, log::add)).isEqualTo(tip);
            assertThat(Files.readString(work.resolve("app.txt"))).isEqualTo("3\n");
            assertThat(history(work)).isEqualTo(1);
            assertThat(Files.exists(work.resolve(".git/shallow"))).isTrue();
            assertThat(log).contains("shallow clone of branch main (depth 1)");

            // no commit: the branch head, shallow too
            Path head = tmp.resolve("work-head");
            assertThat(GitCheckout.checkout(repo.url(), null, "main", null, head, log::add)).isEqualTo(tip);
            assertThat(history(head)).isEqualTo(1);
        }
    }

    @Test
    void aCommitBehindTheTipIsFetchedWithTheFullHistory() throws Exception {
        try (GitRepos repo = GitRepos.withDockerfile(tmp.resolve("repo"))) {
            String first = repo.head();
            String second = repo.commit("two", Map.of("app.txt", "2\n"));
            repo.commit("three", Map.of("app.txt", "3\n"));
            List<String> log = new CopyOnWriteArrayList<>();

            Path work = tmp.resolve("work");
            assertThat(GitCheckout.checkout(repo.url(), second, "main", null, work, log::add)).isEqualTo(second);
            assertThat(Files.readString(work.resolve("app.txt"))).isEqualTo("2\n");
            assertThat(history(work)).isEqualTo(2);
            assertThat(log).containsExactly("commit " + second + " is not the tip of main: fetching the full history");

            assertThat(GitCheckout.checkout(repo.url(), first, "main", null, work, s -> { })).isEqualTo(first);
            assertThat(Files.readString(work.resolve("app.txt"))).isEqualTo("version 1\n");

            // a commit that is nowhere: a clear error
            String nowhere = "0123456789abcdef0123456789abcdef01234567";
            assertThatThrownBy(() -> GitCheckout.checkout(repo.url(), nowhere, "main", null, tmp.resolve("w2"),
                    s -> { })).isInstanceOf(IOException.class).hasMessageContaining("commit " + nowhere + " not found");
        }
    }

    @Test
    void sshUrlsWithoutAKeyAreRefusedWithTheReason() {
        assertThat(GitCheckout.isSsh("git@github.com:acme/shop.git")).isTrue();
        assertThat(GitCheckout.isSsh("ssh://git@github.com/acme/shop.git")).isTrue();
        assertThat(GitCheckout.isSsh("https://github.com/acme/shop.git")).isFalse();
        assertThat(GitCheckout.isSsh("file:///tmp/x")).isFalse();
        // ssh clones work (GitCheckoutSshTest); without a key the reason is said before any connection
        assertThatThrownBy(() -> GitCheckout.checkout("git@github.com:acme/shop.git", null, "main", null,
                tmp.resolve("ssh"), s -> { })).isInstanceOf(IOException.class)
                .hasMessageContaining("needs a private key: set build_config.git_ssh_key or HUB_GIT_SSH_KEY");
    }

    private static int history(Path work) throws Exception {
        try (Git git = Git.open(work.toFile())) {
            int n = 0;
            for (var ignored : git.log().call()) {
                n++;
            }
            return n;
        }
    }
}
