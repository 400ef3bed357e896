package dev.webhookhub.support;

import dev.webhookhub.deploy.ChannelStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Puts the stand-in Docker daemon (plain TCP) behind another real socket, as a real daemon is reached: a unix domain
 * socket ({@link #unix}), or TLS that requires a client certificate ({@link #tls}). Bytes are copied both ways
 * unchanged; closing either side closes both, so a client that drops its connection drops the daemon's too.
 */
public final class SocketRelay implements AutoCloseable {

    private final AutoCloseable listener;
    private final String host;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    /** Handshakes refused (TLS only): a client without an accepted certificate, or one that did not trust ours. */
    public final List<String> refused = new CopyOnWriteArrayList<>();

    private SocketRelay(AutoCloseable listener, String host) {
        this.listener = listener;
        this.host = host;
    }

    /** A unix socket at {@code socket} relayed to {@code target} (tcp://127.0.0.1:port). */
    public static SocketRelay unix(Path socket, String target) {
        try {
            Files.deleteIfExists(socket);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            SocketRelay r = new SocketRelay(server, "unix://" + socket);
            Thread t = new Thread(() -> {
                while (server.isOpen()) {
                    try {
                        SocketChannel c = server.accept();
                        r.accepted.incrementAndGet();
                        r.relay(c, ChannelStreams.in(c), ChannelStreams.out(c), target);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "unix-relay");
            t.setDaemon(true);
            t.start();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** TLS on 127.0.0.1 (server certificate and client-certificate check from {@code server}) relayed to target. */
    public static SocketRelay tls(SSLContext server, String target) {
        try {
            SSLServerSocket s = (SSLServerSocket) server.getServerSocketFactory().createServerSocket();
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            s.setNeedClientAuth(true);
            SocketRelay r = new SocketRelay(s, "tcp://127.0.0.1:" + s.getLocalPort());
            Thread t = new Thread(() -> {
                while (!s.isClosed()) {
                    try {
                        SSLSocket c = (SSLSocket) s.accept();
                        r.accepted.incrementAndGet();
                        Thread h = new Thread(() -> {
                            try {
                                c.startHandshake();
                                r.relay(c, c.getInputStream(), c.getOutputStream(), target);
                            } catch (IOException e) {
                                r.refused.add(String.valueOf(e.getMessage()));
                                closeQuietly(c);
                            }
                        }, "tls-relay-handshake");
                        h.setDaemon(true);
                        h.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "tls-relay");
            t.setDaemon(true);
            t.start();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** DOCKER_HOST for the client: unix:///... or tcp://127.0.0.1:port. */
    public String host() {
        return host;
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    private void relay(AutoCloseable client, InputStream in, OutputStream out, String target) throws IOException {
        String hostPort = target.replaceFirst("^tcp://", "");
        int colon = hostPort.lastIndexOf(':');
        Socket upstream = new Socket(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        open.add(client);
        open.add(upstream);
        pump(in, upstream.getOutputStream(), client, upstream);
        pump(upstream.getInputStream(), out, client, upstream);
    }

    private static void pump(InputStream from, OutputStream to, AutoCloseable a, AutoCloseable b) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try {
                for (int n = from.read(buf); n != -1; n = from.read(buf)) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                closeQuietly(a);
                closeQuietly(b);
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        open.forEach(SocketRelay::closeQuietly);
    }
}
