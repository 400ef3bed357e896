package dev.webhookhub.http;

import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.util.concurrent.TimeUnit;

/**
 * Connection options of the hub's HTTP server that Camel's platform-http (4.17) offers no setting for: an idle
 * timeout (a connection that neither sends nor receives anything for that long is closed), and no cleartext HTTP/2
 * upgrade ({@code Upgrade: h2c}): on HTTP/2 every request of a connection shares one flow-control window, so a request
 * the hub answers without reading its body (too large, unknown service, over the in-flight budget) stalled the other
 * requests of that connection until they timed out. Clients asking for h2c go on with HTTP/1.1.
 *
 * <p>Platform-http creates its Vert.x {@code HttpServerOptions} itself. Vert.x hands the server's options to the
 * metrics SPI when the server starts listening, and reads them from that same object for every new connection; this
 * factory, set on the hub's {@code VertxOptions}, sets them there. It records no metrics.
 */
public final class ServerConnectionOptions implements VertxMetricsFactory {

    private final int idleTimeoutSeconds;

    private ServerConnectionOptions(int idleTimeoutSeconds) {
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    /** {@code idleTimeoutSeconds} <= 0 leaves connections open for as long as the client likes (Vert.x's default). */
    public static void apply(VertxOptions options, int idleTimeoutSeconds) {
        options.setMetricsOptions(new MetricsOptions().setEnabled(true)
                .setFactory(new ServerConnectionOptions(idleTimeoutSeconds)));
    }

    @Override
    public VertxMetrics metrics(VertxOptions options) {
        return new VertxMetrics() {
            @Override
            public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions server,
                    SocketAddress localAddress) {
                server.setHttp2ClearTextEnabled(false);
                if (idleTimeoutSeconds > 0 && server.getIdleTimeout() <= 0) {
                    server.setIdleTimeoutUnit(TimeUnit.SECONDS);
                    server.setIdleTimeout(idleTimeoutSeconds);
                }
                return null;
            }
        };
    }
}
