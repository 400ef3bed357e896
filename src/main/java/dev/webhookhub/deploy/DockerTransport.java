package dev.webhookhub.deploy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 to the Docker daemon over the socket {@code DOCKER_HOST} names: {@code unix:///var/run/docker.sock}
 * (a unix domain socket), {@code tcp://host:port} (or http://), or either TCP form with TLS ({@code https://}, or
 * tcp with {@code DOCKER_TLS_VERIFY}). One connection per request ({@code Connection: close}); the answer's body is
 * read as it arrives (Content-Length, chunked, or until the daemon closes), so streamed answers (build, push) can
 * be handed on line by line. Closing the {@link Exchange} from another thread drops the connection at once, which
 * is how a build is cancelled or timed out (the daemon then stops it).
 */
public final class DockerTransport {

    private final Path unixSocket;
    private final String host;
    private final int port;
    private final SSLContext tls;

    private DockerTransport(Path unixSocket, String host, int port, SSLContext tls) {
        this.unixSocket = unixSocket;
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    /** Whether DOCKER_HOST names a daemon this transport can reach. */
    public static boolean supports(String dockerHost) {
        return dockerHost != null && (dockerHost.matches("^unix://.+") || dockerHost.matches(
                "^(tcp|http|https)://[^/]+/?$"));
    }

    /**
     * @param tls the client's TLS context (DOCKER_TLS_VERIFY / DOCKER_CERT_PATH), or null for plain TCP; an
     *            {@code https://} host without one uses the JDK's default trust
     */
    public static DockerTransport forHost(String dockerHost, SSLContext tls) {
        if (!supports(dockerHost)) {
            throw new IllegalArgumentException("unsupported DOCKER_HOST " + dockerHost
                    + " (use unix:///path/to/docker.sock or tcp://host:port)");
        }
        if (dockerHost.startsWith("unix://")) {
            return new DockerTransport(Path.of(dockerHost.substring("unix://".length())), null, 0, null);
        }
        boolean https = dockerHost.startsWith("https://");
        URI u = URI.create(dockerHost.replaceFirst("^(tcp|http|https)://", "http://"));
        int port = u.getPort() > 0 ? u.getPort() : tls != null || https ? 2376 : 2375;
        SSLContext ctx = tls;
        if (ctx == null && https) {
            try {
                ctx = SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return new DockerTransport(null, u.getHost(), port, ctx);
    }

    /** What this transport connects to, for logs (never credentials). */
    public String describe() {
        return unixSocket != null ? "unix://" + unixSocket : (tls != null ? "tls://" : "tcp://") + host + ":" + port;
    }

    /** The request body: none, bytes, or a file sent as it is read. */
    public sealed interface Body permits Body.None, Body.Bytes, Body.File {
        record None() implements Body {
        }

        record Bytes(byte[] data, String contentType) implements Body {
        }

        record File(Path path, String contentType) implements Body {
        }

        static Body none() {
            return new None();
        }
    }

    /** An answer being read: its status, headers (lower-case names) and body. Close it to drop the connection. */
    public static final class Exchange implements Closeable {
        private final Closeable connection;
        private final int status;
        private final Map<String, String> headers;
        private final InputStream body;

        Exchange(Closeable connection, int status, Map<String, String> headers, InputStream body) {
            this.connection = connection;
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public InputStream body() {
            return body;
        }

        /** The whole body as text (up to 16 MB). */
        public String text() throws IOException {
            byte[] b = body.readNBytes(16 * 1024 * 1024);
            return new String(b, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    /**
     * Opens a connection, sends the request and reads the status line and headers. {@code connected} is handed the
     * connection as soon as it is open, so that another thread can drop it (time out, cancel) even while the body is
     * being sent or the answer is awaited.
     */
    public Exchange open(String method, String pathAndQuery, Map<String, String> headers, Body body,
            java.util.function.Consumer<Closeable> connected) throws IOException {
        Connection c = connect();
        try {
            if (connected != null) {
                connected.accept(c);
            }
            OutputStream out = c.out;
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(unixSocket != null ? "docker" : host + ":" + port).append("\r\n");
            head.append("User-Agent: webhook-hub\r\n");
            head.append("Connection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            long length = 0;
            String contentType = null;
            if (body instanceof Body.Bytes b) {
                length = b.data().length;
                contentType = b.contentType();
            } else if (body instanceof Body.File f) {
                length = Files.size(f.path());
                contentType = f.contentType();
            }
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (!(body instanceof Body.None) || method.equals("POST") || method.equals("PUT")) {
                head.append("Content-Length: ").append(length).append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body instanceof Body.Bytes b) {
                out.write(b.data());
            } else if (body instanceof Body.File f) {
                try (InputStream in = Files.newInputStream(f.path())) {
                    in.transferTo(out);
                }
            }
            out.flush();
            InputStream in = c.in;
            String statusLine = line(in);
            while (statusLine != null && statusLine.matches("^HTTP/1\\.\\d 1\\d\\d.*")) {
                // an interim answer (100 Continue): skip it and its headers
                while (!line(in).isEmpty()) {
                    // skip
                }
                statusLine = line(in);
            }
            if (statusLine == null || !statusLine.startsWith("HTTP/")) {
                throw new IOException("the Docker daemon at " + describe() + " did not answer with HTTP");
            }
            String[] parts = statusLine.split(" ", 3);
            int status = Integer.parseInt(parts[1]);
            Map<String, String> h = new LinkedHashMap<>();
            for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                if (colon > 0) {
                    h.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
                }
            }
            InputStream content;
            if (method.equals("HEAD") || status == 204 || status == 304) {
                content = InputStream.nullInputStream();
            } else if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
                content = new Chunked(in);
            } else if (h.containsKey("content-length")) {
                content = new Limited(in, Long.parseLong(h.get("content-length")));
            } else {
                content = in;
            }
            return new Exchange(c, status, h, content);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private record Connection(Closeable socket, InputStream in, OutputStream out) implements Closeable {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private Connection connect() throws IOException {
        if (unixSocket != null) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(unixSocket));
            } catch (IOException e) {
                ch.close();
                throw new IOException("cannot connect to the Docker daemon at unix://" + unixSocket + ": "
                        + e.getMessage(), e);
            }
            // reads have no timeout of their own on any transport: the caller's watchdog drops the connection
            return new Connection(ch, new BufferedInputStream(ChannelStreams.in(ch), 16384), ChannelStreams.out(ch));
        }
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), 10_000);
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, host, port, true);
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(p);
                ssl.startHandshake();
                s = ssl;
            }
            return new Connection(s, new BufferedInputStream(s.getInputStream(), 16384), s.getOutputStream());
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot connect to the Docker daemon at " + describe() + ": " + e.getMessage(), e);
        }
    }

    /** One line of the head, without CRLF; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (b.size() > 64 * 1024) {
                throw new IOException("header line too long");
            }
            b.write(c);
        }
        if (c == -1 && b.size() == 0) {
            return null;
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** A body of known length. */
    private static final class Limited extends InputStream {
        private final InputStream in;
        private long left;

        Limited(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n == -1) {
                throw new IOException("the Docker daemon closed the connection before the end of its answer");
            }
            left -= n;
            return n;
        }
    }

    /** A chunked body, decoded as the chunks arrive. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                if (size == null) {
                    throw new IOException("the Docker daemon closed the connection in the middle of its answer");
                }
                if (size.isEmpty()) {
                    size = line(in);
                    if (size == null) {
                        throw new IOException("the Docker daemon closed the connection in the middle of its answer");
                    }
                }
                int semi = size.indexOf(';');
                left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
                if (left == 0) {
                    done = true;
                    for (String t = line(in); t != null && !t.isEmpty(); t = line(in)) {
                        // trailers
                    }
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n == -1) {
                throw new IOException("the Docker daemon closed the connection in the middle of its answer");
            }
            left -= n;
            if (left == 0) {
                // the CRLF after the chunk is read with the next size line
            }
            return n;
        }
    }
}
