package dev.webhookhub.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real ssh git server in the JVM (Apache MINA sshd, as bundled with JGit's ssh module) on a free local port:
 * public key authentication of user {@code git} with the keys allowed, its own host key, and {@code git-upload-pack
 * '/<name>'} served by JGit's UploadPack from the repositories added. Other commands and users are refused.
 */
public final class SshGitServer implements AutoCloseable {

    private final SshServer server;
    private final KeyPair hostKey;
    private final List<PublicKey> allowed = new CopyOnWriteArrayList<>();
    private final Map<String, Path> repositories = new ConcurrentHashMap<>();
    /** The commands the server ran (to prove the clone went over ssh). */
    public final List<String> commands = new CopyOnWriteArrayList<>();

    public SshGitServer() throws IOException {
        hostKey = newKeyPair();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPublickeyAuthenticator((user, key, session) -> "git".equals(user)
                && allowed.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
        server.setCommandFactory((channel, command) -> new UploadPackCommand(command));
        server.start();
    }

    /** A new EC P-256 key pair. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException | java.security.InvalidAlgorithmParameterException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key as {@code ssh-keygen} writes it (-----BEGIN OPENSSH PRIVATE KEY-----). */
    public static String openSshPrivateKey(KeyPair pair) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "deploy@hub", null, out);
            return out.toString(StandardCharsets.US_ASCII);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public SshGitServer allow(PublicKey key) {
        allowed.add(key);
        return this;
    }

    /** Serves the repository whose work tree is {@code workTree} as {@code /<name>}. */
    public SshGitServer serve(String name, Path workTree) {
        repositories.put("/" + name, workTree);
        return this;
    }

    public int port() {
        return server.getPort();
    }

    /** {@code ssh://git@127.0.0.1:<port>/<name>}. */
    public String url(String name) {
        return "ssh://git@127.0.0.1:" + port() + "/" + name;
    }

    /** The known_hosts line of this server's host key. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    private final class UploadPackCommand implements Command {
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        UploadPackCommand(String command) {
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            commands.add(command);
            Thread t = new Thread(this::run, "ssh-git-upload-pack");
            t.setDaemon(true);
            t.start();
        }

        private void run() {
            int code = 0;
            String path = command.startsWith("git-upload-pack ")
                    ? command.substring("git-upload-pack ".length()).replace("'", "") : null;
            Path repo = path == null ? null : repositories.get(path.startsWith("/") ? path : "/" + path);
            try {
                if (repo == null) {
                    err.write(("not served: " + command + "\n").getBytes(StandardCharsets.UTF_8));
                    err.flush();
                    code = 1;
                } else {
                    try (Git git = Git.open(repo.toFile())) {
                        new UploadPack(git.getRepository()).upload(in, out, err);
                    }
                }
                out.flush();
            } catch (IOException e) {
                code = 1;
            } finally {
                exit.onExit(code);
            }
        }

        @Override
        public void destroy(ChannelSession channel) {
            // the upload ends with its streams
        }
    }
}
