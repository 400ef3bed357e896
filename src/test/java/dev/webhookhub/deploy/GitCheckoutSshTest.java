package dev.webhookhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webhookhub.support.GitRepos;
import dev.webhookhub.support.SshGitServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clones over real ssh: an in-JVM ssh server (Apache MINA sshd) serving a JGit repository with JGit's upload-pack,
 * public key authentication, the host key checked against a known_hosts file.
 */
class GitCheckoutSshTest {

    @TempDir
    static Path tmp;

    static SshGitServer server;
    static GitRepos repo;
    static KeyPair deployKey;
    static String first;
    static String second;
    static String tip;
    static Path knownHosts;

    @BeforeAll
    static void start() throws Exception {
        repo = GitRepos.withDockerfile(tmp.resolve("shop"));
        first = repo.head();
        second = repo.commit("two", Map.of("app.txt", "2\n"));
        tip = repo.commit("three", Map.of("app.txt", "3\n"));
        deployKey = SshGitServer.newKeyPair();
        server = new SshGitServer().allow(deployKey.getPublic()).serve("acme/shop.git", tmp.resolve("shop"));
        knownHosts = Files.writeString(tmp.resolve("known_hosts"), "# the git server\n" + server.knownHostsLine()
                + "\n");
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (repo != null) {
            repo.close();
        }
    }

    @Test
    void theExactCommitIsClonedOverSshWithTheKey() throws Exception {
        // HUB_GIT_SSH_KEY as a file path (the key text itself works too)
        Path keyFile = Files.writeString(tmp.resolve("id_deploy"), SshGitServer.openSshPrivateKey(deployKey));
        String key = GitSsh.keyFromSetting(keyFile.toString());
        assertThat(key).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(GitSsh.keyFromSetting(key)).isEqualTo(key.strip());
        GitSsh ssh = new GitSsh(key, null, knownHosts, true);
        assertThat(ssh.toString()).doesNotContain(key.strip().split("\n")[1]);
        List<String> log = new CopyOnWriteArrayList<>();

        Path work = tmp.resolve("work-tip");
        assertThat(GitCheckout.checkout(server.url("acme/shop.git"), tip, "main", null, ssh, work, log::add))
                .isEqualTo(tip);
        assertThat(Files.readString(work.resolve("app.txt"))).isEqualTo("3\n");
        assertThat(log).contains("shallow clone of branch main (depth 1)");
        assertThat(Files.exists(work.resolve(".git/shallow"))).isTrue();

        // a commit behind the tip: the full history, then exactly that commit
        Path older = tmp.resolve("work-older");
        assertThat(GitCheckout.checkout(server.url("acme/shop.git"), second, "main", null, ssh, older, log::add))
                .isEqualTo(second);
        assertThat(Files.readString(older.resolve("app.txt"))).isEqualTo("2\n");
        try (Git git = Git.open(older.toFile())) {
            assertThat(git.getRepository().resolve("HEAD").name()).isEqualTo(second);
            assertThat(git.getRepository().getConfig().getString("remote", "origin", "url"))
                    .isEqualTo(server.url("acme/shop.git"));
        }
        // it went over ssh, through the server's upload-pack
        assertThat(server.commands).contains("git-upload-pack '/acme/shop.git'");
        // the per-checkout ssh directory is gone, nothing was written next to the checkout
        assertThat(Files.exists(tmp.resolve("work-tip.ssh"))).isFalse();
        assertThat(Files.exists(tmp.resolve("work-older.ssh"))).isFalse();
    }

    @Test
    void aKeyTheServerDoesNotKnowFailsWithAClearError() {
        String otherKey = SshGitServer.openSshPrivateKey(SshGitServer.newKeyPair());
        GitSsh ssh = new GitSsh(otherKey, null, knownHosts, true);
        List<String> log = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> GitCheckout.checkout(server.url("acme/shop.git"), first, "main", null, ssh,
                tmp.resolve("work-wrong-key"), log::add))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ssh authentication as git at 127.0.0.1 failed: the server did not accept "
                        + "the key")
                .message().doesNotContain(otherKey.strip().split("\n")[1]);
        assertThat(Files.exists(tmp.resolve("work-wrong-key.ssh"))).isFalse();
        // a refused key is final: not tried again with the full history
        assertThat(log).isEmpty();

        // not a key at all: said before connecting
        assertThatThrownBy(() -> GitCheckout.checkout(server.url("acme/shop.git"), first, "main", null,
                new GitSsh("not a key", null, knownHosts, true), tmp.resolve("work-no-key"), s -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("not a private key");
    }

    @Test
    void anUnknownHostKeyIsRefusedUnderStrictChecking() throws Exception {
        String key = SshGitServer.openSshPrivateKey(deployKey);
        String url = server.url("acme/shop.git");
        String who = "[127.0.0.1]:" + server.port();

        // the host is listed with another key (a man in the middle, or a re-keyed server)
        Path otherKey = Files.writeString(tmp.resolve("known_hosts_other"),
                who + " " + PublicKeyEntry.toString(SshGitServer.newKeyPair().getPublic()) + "\n");
        assertThatThrownBy(() -> GitCheckout.checkout(url, tip, "main", null, new GitSsh(key, null, otherKey, true),
                tmp.resolve("w1"), s -> { })).isInstanceOf(IOException.class)
                .hasMessageContaining("ssh host key of " + who)
                .hasMessageContaining("is not the one listed in " + otherKey);

        // the host is not listed
        Path empty = Files.writeString(tmp.resolve("known_hosts_empty"), "[example.com]:2222 "
                + PublicKeyEntry.toString(SshGitServer.newKeyPair().getPublic()) + "\n");
        assertThatThrownBy(() -> GitCheckout.checkout(url, tip, "main", null, new GitSsh(key, null, empty, true),
                tmp.resolve("w2"), s -> { })).isInstanceOf(IOException.class)
                .hasMessageContaining("ssh host key of " + who)
                .hasMessageContaining("is not in " + empty + " (HUB_GIT_SSH_KNOWN_HOSTS)");

        // listed, but also marked @revoked
        Path revoked = Files.writeString(tmp.resolve("known_hosts_revoked"), server.knownHostsLine() + "\n@revoked "
                + server.knownHostsLine() + "\n");
        assertThatThrownBy(() -> GitCheckout.checkout(url, tip, "main", null, new GitSsh(key, null, revoked, true),
                tmp.resolve("w2r"), s -> { })).isInstanceOf(IOException.class)
                .hasMessageContaining("is marked @revoked in " + revoked);

        // no known_hosts at all
        assertThatThrownBy(() -> GitCheckout.checkout(url, tip, "main", null, new GitSsh(key, null, null, true),
                tmp.resolve("w3"), s -> { })).isInstanceOf(IOException.class)
                .hasMessageContaining("no known_hosts file (set HUB_GIT_SSH_KNOWN_HOSTS");
        assertThat(server.commands).doesNotContain("refused").allMatch(c -> c.startsWith("git-upload-pack"));

        // only when strict checking is explicitly off, any host key is accepted
        assertThat(GitCheckout.checkout(url, tip, "main", null, new GitSsh(key, null, null, false),
                tmp.resolve("w4"), s -> { })).isEqualTo(tip);
    }

    /** A throwaway test key made with {@code ssh-keygen -t ed25519 -N 'correct horse'} (bcrypt KDF, aes256-ctr). */
    static final String ED25519_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----" + "\n"
            + "b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABAqAIQxy1" + "\n"
            + "wLgHf5QSb+Ae+7AAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIHrWbvUgeV00dR8j" + "\n"
            + "BDsGJA3s9Bdf7nkIZxEYHKY39DLyAAAAkG96GOAsw8U1gI9HoO0U7aWR2doFod51Wj6qf/" + "\n"
            + "T7YmvPeHyqaXuH69Lqh9Aup1J2Sx4EOgD4I30QjyBETG26T5kbze4fGZE9MrIHt5URTk9M" + "\n"
            + "lHeD7YGPOK4JF5/wm20RMGRjyKYcFUv9jv0jAbqd2VsaYEs92EaIJ6UY+ErXanfBPTLaNp" + "\n"
            + "HuVA49a0kcrW/WnQ==" + "\n"
            + "-----END OPENSSH PRIVATE KEY-----" + "\n";
    static final String ED25519_PUB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHrWbvUgeV00dR8jBDsGJA3s9Bdf7nkIZxEYHKY39DLy hub-test";

    @Test
    void anEncryptedEd25519KeyFromSshKeygenPemKeysAndHashedKnownHostsWork() throws Exception {
        server.allow(PublicKeyEntry.parsePublicKeyEntry(ED25519_PUB).resolvePublicKey(null, Map.of(),
                PublicKeyEntryResolver.IGNORING));
        // known_hosts as ssh-keygen -H writes it: |1|salt|HMAC-SHA1(salt, "[127.0.0.1]:port")
        byte[] salt = new byte[20];
        new java.security.SecureRandom().nextBytes(salt);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal(("[127.0.0.1]:" + server.port()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        Path hashed = Files.writeString(tmp.resolve("known_hosts_hashed"), "|1|" + b64.encodeToString(salt) + "|"
                + b64.encodeToString(hash) + " " + server.knownHostsLine().split(" ", 2)[1] + "\n");

        GitSsh ed25519 = new GitSsh(ED25519_KEY, "correct horse", hashed, true);
        assertThat(GitCheckout.checkout(server.url("acme/shop.git"), first, "main", null, ed25519,
                tmp.resolve("work-ed25519"), s -> { })).isEqualTo(first);
        assertThat(Files.readString(tmp.resolve("work-ed25519/app.txt"))).isEqualTo("version 1\n");
        // a wrong passphrase: said before connecting
        assertThatThrownBy(() -> GitCheckout.checkout(server.url("acme/shop.git"), first, "main", null,
                new GitSsh(ED25519_KEY, "wrong", hashed, true), tmp.resolve("work-ed25519-wrong"), s -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("the ssh key cannot be read");

        // PEM: SEC1 (-----BEGIN EC PRIVATE KEY-----) on one line with "\n" for its line breaks (an env variable)
        String sec1 = GitSsh.keyFromSetting(EC_SEC1_ONE_LINE);
        server.allow(new GitSsh(sec1, null, knownHosts, true).keyPairs().get(0).getPublic());
        assertThat(GitCheckout.checkout(server.url("acme/shop.git"), tip, "main", null,
                new GitSsh(sec1, null, knownHosts, true), tmp.resolve("work-sec1"), s -> { })).isEqualTo(tip);
        // PKCS#8 (-----BEGIN PRIVATE KEY-----)
        assertThat(new GitSsh(EC_PKCS8_ONE_LINE, null, knownHosts, true).keyPairs()).hasSize(1);
    }

    /** Throwaway test keys made with openssl ecparam -genkey -name prime256v1 -noout (and openssl pkcs8 -topk8). */
    static final String EC_SEC1_ONE_LINE = "-----BEGIN EC PRIVATE KEY-----\\n"
            + "MHcCAQEEILOwIWSEeZOGnbIAn4C5z7mDJxVVX0dPXZaXz0x/P9rcoAoGCCqGSM49\\n"
            + "AwEHoUQDQgAEVC/kS/LXtb96utJ3qAdsbaOP0rAlGY5GXCwEogxj4yox81sNJXVC\\n"
            + "2Un3r/RSMP9pNsRGQkpoT2VUxZkWIZMCrw==\\n"
            + "-----END EC PRIVATE KEY-----";
    static final String EC_PKCS8_ONE_LINE = "-----BEGIN PRIVATE KEY-----\\n"
            + "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgs7AhZIR5k4adsgCf\\n"
            + "gLnPuYMnFVVfR09dlpfPTH8/2tyhRANCAARUL+RL8te1v3q60neoB2xto4/SsCUZ\\n"
            + "jkZcLASiDGPjKjHzWw0ldULZSfev9FIw/2k2xEZCSmhPZVTFmRYhkwKv\\n"
            + "-----END PRIVATE KEY-----";
}
