package dev.webhookhub.api;

import dev.webhookhub.store.StoreException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base for admin REST APIs (Java DSL, not meant for engineers to edit): JSON error answers for every failure, and
 * {@link #handle} to put the admin token check in front of each operation's handler.
 */
public abstract class AdminRouteBuilder extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRouteBuilder.class);

    private final AdminAuth auth;

    protected AdminRouteBuilder(AdminAuth auth) {
        this.auth = auth;
    }

    /** Declares the REST operations; call {@link #handle} for each {@code direct:<id>} they route to. */
    protected abstract void configureApi();

    @Override
    public final void configure() {
        onException(ApiError.class).handled(true)
                .process(e -> e.getProperty(Exchange.EXCEPTION_CAUGHT, ApiError.class).write(e));
        onException(StoreException.class).handled(true)
                .process(e -> {
                    LOG.error("admin request failed on the store: {}",
                            e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).toString());
                    ApiError.write(e, 503, "store_unavailable", "the store is unavailable; retry later");
                });
        onException(Exception.class).handled(true)
                .process(e -> {
                    LOG.error("admin request failed", e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
                    ApiError.write(e, 500, "internal_error", "the request failed inside the hub");
                });
        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);
        configureApi();
    }

    /** The route behind one REST operation ({@code direct:<id>}): admin token first, then the handler. */
    protected void handle(String id, Processor handler) {
        from("direct:" + id).routeId(id + "-handler").process(auth).process(handler);
    }
}
