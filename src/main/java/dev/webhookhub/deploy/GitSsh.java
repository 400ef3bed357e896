package dev.webhookhub.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * How the hub clones over ssh (JGit's Apache MINA transport): the private key in memory (OpenSSH or PEM text, never
 * written anywhere), host keys checked against one known_hosts file (strict by default: a host not listed there, or
 * listed with another key, is refused), and nothing read from or written to the user's {@code ~/.ssh}.
 *
 * @param privateKey the private key text ({@code -----BEGIN ...}); null or blank: no key (in the hub's settings,
 *        before {@link #forService}, it may be the path of a file holding the key)
 * @param passphrase the key's passphrase, or null
 * @param knownHosts a known_hosts file, or null
 * @param strictHostKeyChecking false: any host key is accepted (only when explicitly configured)
 */
public record GitSsh(String privateKey, String passphrase, Path knownHosts, boolean strictHostKeyChecking) {

    /** No key, no known hosts, strict: every ssh host is refused until configured. */
    public static final GitSsh NONE = new GitSsh(null, null, null, true);

    @Override
    public String toString() {
        // a record prints its fields: never the key
        return "GitSsh[key=" + (hasKey() ? "****" : "none") + ", knownHosts=" + knownHosts
                + ", strictHostKeyChecking=" + strictHostKeyChecking + "]";
    }

    public boolean hasKey() {
        return privateKey != null && !privateKey.isBlank();
    }

    /**
     * The settings for one service: its own key ({@code build_config.git_ssh_key}, key text only, never a path) when
     * it has one, else the hub's ({@code HUB_GIT_SSH_KEY}: key text or the path of a file, read here).
     */
    public GitSsh forService(String serviceKey, String servicePassphrase) throws IOException {
        if (serviceKey != null && !serviceKey.isBlank()) {
            return new GitSsh(serviceKey, servicePassphrase, knownHosts, strictHostKeyChecking);
        }
        return new GitSsh(keyFromSetting(privateKey), passphrase, knownHosts, strictHostKeyChecking);
    }

    /**
     * The key from a setting ({@code HUB_GIT_SSH_KEY}): the key text itself when it starts with {@code -----BEGIN},
     * else the path of a file holding it.
     */
    public static String keyFromSetting(String value) throws IOException {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.startsWith("-----BEGIN")) {
            return v.replace("\\n", "\n");
        }
        Path p = Path.of(v);
        if (!Files.isReadable(p)) {
            throw new IOException("HUB_GIT_SSH_KEY is neither a private key (-----BEGIN ...) nor a readable file: " + p);
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** The key pairs of the private key text; a clear error when it cannot be read (never the key itself). */
    List<KeyPair> keyPairs() throws IOException {
        if (!hasKey()) {
            return List.of();
        }
        String text = privateKey.strip().replace("\\n", "\n") + "\n";
        if (!text.startsWith("-----BEGIN")) {
            throw new IOException("the ssh key is not a private key in OpenSSH or PEM form (-----BEGIN ...)");
        }
        FilePasswordProvider password = passphrase == null || passphrase.isEmpty() ? FilePasswordProvider.EMPTY
                : FilePasswordProvider.of(passphrase);
        Iterable<KeyPair> pairs;
        try {
            pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("ssh key"),
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), password);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // the parser's message may quote what it decrypted: only its kind is said
            throw new IOException("the ssh key cannot be read (wrong or missing passphrase, or a form that is not "
                    + "supported): " + e.getClass().getSimpleName());
        }
        List<KeyPair> out = new ArrayList<>();
        if (pairs != null) {
            pairs.forEach(out::add);
        }
        if (out.isEmpty()) {
            throw new IOException("the ssh key holds no private key");
        }
        return out;
    }

    /**
     * A session factory for one checkout: home and ssh directories under {@code sshDir} (empty; no
     * ~/.ssh), no ssh config, this key only, host keys from {@link #knownHosts} (or any, when not strict).
     */
    SshdSessionFactory sessionFactory(Path sshDir, HostKeyCheck check) throws IOException {
        List<KeyPair> keys = keyPairs();
        Files.createDirectories(sshDir);
        return new SshdSessionFactoryBuilder()
                .setHomeDirectory(sshDir.toFile())
                .setSshDirectory(sshDir.toFile())
                .setConfigStoreFactory((home, config, user) -> null)
                .setDefaultKeysProvider(dir -> keys)
                .setDefaultIdentities(dir -> List.of())
                .setDefaultKnownHostsFiles(dir -> List.of())
                .setPreferredAuthentications("publickey")
                .setServerKeyDatabase((home, dir) -> check)
                .build(new JGitKeyCache());
    }

    /** A host key check for one host; says why it refused (so the error can name the host and the file). */
    HostKeyCheck hostKeyCheck(URIish url) {
        return new HostKeyCheck(url.getHost(), url.getPort() > 0 ? url.getPort() : 22);
    }

    /** Host keys of {@code host:port} from the known_hosts file; remembers a refusal. */
    final class HostKeyCheck implements ServerKeyDatabase {
        private final String host;
        private final int port;
        private volatile String refusal;

        HostKeyCheck(String host, int port) {
            this.host = host;
            this.port = port;
        }

        String refusal() {
            return refusal;
        }

        @Override
        public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
            try {
                return known(remoteAddress);
            } catch (IOException e) {
                return List.of();
            }
        }

        @Override
        public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                Configuration config, CredentialsProvider provider) {
            if (!strictHostKeyChecking) {
                return true;
            }
            String who = port == 22 ? host : "[" + host + "]:" + port;
            String fingerprint = KeyUtils.getFingerPrint(serverKey);
            if (knownHosts == null) {
                refusal = "ssh host key of " + who + " (" + fingerprint + ") cannot be checked: no known_hosts file "
                        + "(set HUB_GIT_SSH_KNOWN_HOSTS; strict host key checking is on)";
                return false;
            }
            List<PublicKey> known;
            try {
                for (PublicKey k : entries(remoteAddress, "@revoked")) {
                    if (KeyUtils.compareKeys(k, serverKey)) {
                        refusal = "ssh host key of " + who + " (" + fingerprint + ") is marked @revoked in "
                                + knownHosts;
                        return false;
                    }
                }
                known = known(remoteAddress);
            } catch (IOException e) {
                refusal = "ssh host key of " + who + " cannot be checked: known_hosts " + knownHosts
                        + " cannot be read (" + e.getMessage() + ")";
                return false;
            }
            for (PublicKey k : known) {
                if (KeyUtils.compareKeys(k, serverKey)) {
                    return true;
                }
            }
            refusal = "ssh host key of " + who + " (" + fingerprint + ") is " + (known.isEmpty()
                    ? "not in " : "not the one listed in ") + knownHosts + " (HUB_GIT_SSH_KNOWN_HOSTS); "
                    + "strict host key checking refuses it";
            return false;
        }

        private List<PublicKey> known(InetSocketAddress remote) throws IOException {
            return entries(remote, "");
        }

        /** The keys listed for this host with {@code marker} ("" for plain host keys, or "@revoked"). */
        private List<PublicKey> entries(InetSocketAddress remote, String wanted) throws IOException {
            if (knownHosts == null) {
                return List.of();
            }
            List<PublicKey> out = new ArrayList<>();
            for (KnownHostEntry e : KnownHostEntry.readKnownHostEntries(knownHosts)) {
                String marker = e.getMarker() == null ? "" : "@" + e.getMarker().toLowerCase(Locale.ROOT)
                        .replaceFirst("^@", "");
                if (!marker.equals(wanted) || e.getKeyEntry() == null) {
                    continue; // @cert-authority lines are not plain host keys
                }
                boolean match = e.isHostMatch(host, port) || remote != null && remote.getAddress() != null
                        && e.isHostMatch(remote.getAddress().getHostAddress(), port);
                if (match) {
                    try {
                        PublicKey k = e.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
                        if (k != null) {
                            out.add(k);
                        }
                    } catch (GeneralSecurityException ex) {
                        // a line with a key type this JVM cannot read: not a match
                    }
                }
            }
            return out;
        }
    }
}
