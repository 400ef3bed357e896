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
 * Gives the hub's HTTP server an idle timeout: a connection that neither sends nor receives anything for that long is
 * closed by the server.
 *
 * <p>Camel's platform-http server (4.17) creates its Vert.x {@code HttpServerOptions} itself and offers no setting
 * for the idle timeout. Vert.x hands the server's options to the metrics SPI when the server starts listening, and
 * reads the idle timeout from that same object for every new connection; this factory, set on the hub's
 * {@code VertxOptions}, sets the timeout there. It records no metrics.
 */
public final class ServerIdleTimeout implements VertxMetricsFactory {

    private final int idleTimeoutSeconds;

    private ServerIdleTimeout(int idleTimeoutSeconds) {
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    /** {@code seconds} <= 0 leaves connections open for as long as the client likes (Vert.x's default). */
    public static void apply(VertxOptions options, int seconds) {
        if (seconds > 0) {
            options.setMetricsOptions(new MetricsOptions().setEnabled(true).setFactory(new ServerIdleTimeout(seconds)));
        }
    }

    @Override
    public VertxMetrics metrics(VertxOptions options) {
        return new VertxMetrics() {
            @Override
            public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions server,
                    SocketAddress localAddress) {
                if (server.getIdleTimeout() <= 0) {
                    server.setIdleTimeoutUnit(TimeUnit.SECONDS);
                    server.setIdleTimeout(idleTimeoutSeconds);
                }
                return null;
            }
        };
    }
}
