package dev.webhookhub.outbound;

import dev.webhookhub.security.DestinationPolicy;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The outbound engine's HTTP client (Apache HttpClient 5, HTTP/1.1, no redirects, no retries, no cookies). Every
 * connection resolves its host through the {@link DestinationPolicy}, so the refused-address check is made on the
 * very address connected to, whatever DNS answered when the URL was saved. User info in a URL
 * ({@code https://user:pass@host/}) is sent as HTTP basic authentication, never in the request line.
 */
public final class OutboundHttpClient implements Closeable {

    /** What came back: the status, {@code Retry-After}, and the start of the body. */
    public record Answer(int status, String retryAfter, String snippet) {
    }

    /** No answer within the message's time limit (connect, or the whole exchange). */
    public static final class TimedOut extends IOException {
        private static final long serialVersionUID = 1L;

        TimedOut(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The client was closed (the hub is stopping) before or while the request was made. */
    public static final class Stopped extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("the outbound HTTP client is closed: the hub is stopping");
        }
    }

    private static final int SNIPPET = 1000;

    /** Requests being made, cancelled by {@link #close} (a blocked socket read does not heed interrupts). */
    private final Set<HttpPost> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private final CloseableHttpClient http;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "outbound-deadlines");
        t.setDaemon(true);
        return t;
    });

    public OutboundHttpClient(DestinationPolicy policy, int maxConnections, int maxPerRoute, Duration connectTimeout) {
        DnsResolver resolver = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return policy.resolve(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return host;
            }
        };
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(resolver)
                        .setMaxConnTotal(maxConnections)
                        .setMaxConnPerRoute(maxPerRoute)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setTimeToLive(TimeValue.ofMinutes(5))
                                .build())
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .build();
    }

    /** POSTs the body; at most {@code timeout} in all (a trickling answer is cut off too). */
    public Answer post(String url, Map<String, String> headers, byte[] body, Duration timeout) throws IOException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL", e);
        }
        String basic = null;
        if (uri.getRawUserInfo() != null) {
            basic = "Basic " + Base64.getEncoder().encodeToString(
                    URLDecoder.decode(uri.getRawUserInfo().replace("+", "%2B"), StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8));
            String authority = uri.getRawAuthority().substring(uri.getRawAuthority().lastIndexOf('@') + 1);
            uri = URI.create(uri.getScheme() + "://" + authority + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        }
        HttpPost post = new HttpPost(uri);
        post.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(timeout))
                .setConnectionRequestTimeout(Timeout.of(timeout))
                .build());
        boolean customAuthorization = false;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            post.addHeader(h.getKey(), h.getValue());
            customAuthorization |= h.getKey().toLowerCase(Locale.ROOT).equals("authorization");
        }
        if (basic != null && !customAuthorization) {
            post.addHeader("Authorization", basic);
        }
        post.setEntity(new ByteArrayEntity(body, null));
        AtomicBoolean cutOff = new AtomicBoolean();
        ScheduledFuture<?> deadline;
        try {
            deadline = deadlines.schedule(() -> {
                cutOff.set(true);
                post.cancel();
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new Stopped(); // closed
        }
        ClassicHttpResponse r = null;
        inFlight.add(post);
        try {
            if (closed) {
                throw new Stopped();
            }
            r = http.executeOpen(null, post, null);
            Header retryAfter = r.getFirstHeader("Retry-After");
            String snippet = null;
            HttpEntity entity = r.getEntity();
            if (entity != null) {
                boolean rest = false;
                try {
                    InputStream in = entity.getContent();
                    byte[] start = in.readNBytes(SNIPPET);
                    snippet = new String(start, StandardCharsets.UTF_8);
                    rest = start.length == SNIPPET && in.read() != -1;
                } catch (IOException ignored) {
                    rest = true; // the status is what counts
                }
                if (rest) {
                    post.cancel(); // drop the connection rather than read a long answer to its end
                }
            }
            return new Answer(r.getCode(), retryAfter == null ? null : retryAfter.getValue(), snippet);
        } catch (InterruptedIOException e) {
            if (closed) {
                throw e instanceof Stopped ? e : new Stopped();
            }
            if (cutOff.get() || e instanceof java.net.SocketTimeoutException
                    || e instanceof org.apache.hc.client5.http.ConnectTimeoutException) {
                throw new TimedOut("timeout after " + timeout.toSeconds() + "s", e);
            }
            throw e;
        } catch (IOException e) {
            if (closed) {
                throw new Stopped();
            }
            if (cutOff.get()) {
                throw new TimedOut("timeout after " + timeout.toSeconds() + "s", e);
            }
            throw e;
        } finally {
            inFlight.remove(post);
            deadline.cancel(false);
            if (r != null) {
                try {
                    r.close(); // at the end of the answer: the connection goes back to the pool
                } catch (IOException ignored) {
                    // cancelled above: closing found the connection gone, as intended
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        inFlight.forEach(HttpPost::cancel);
        deadlines.shutdownNow();
        http.close(CloseMode.GRACEFUL);
    }
}
