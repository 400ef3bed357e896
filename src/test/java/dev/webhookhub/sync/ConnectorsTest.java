package dev.webhookhub.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webhookhub.api.ApiError;
import dev.webhookhub.security.DestinationPolicy;
import dev.webhookhub.support.TestHub;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/** Connector settings are checked against the template's declaration; runs add and remove routes in parallel. */
class ConnectorsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static DefaultCamelContext context() throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("syncHttpJson", new HttpJsonConnector(MAPPER));
        for (String f : List.of("source-http-json", "target-sql")) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context,
                    "file:" + TestHub.projectDir().resolve("routes/connectors/" + f + ".yaml")));
        }
        context.start();
        return context;
    }

    @Test
    void settingsAreCheckedAgainstTheTemplatesParameters() throws Exception {
        try (DefaultCamelContext context = context()) {
            Connectors c = new Connectors(context, DestinationPolicy.of(""));
            assertThat(c.types("source")).containsExactly("http-json");
            ObjectNode s = c.settings("source", MAPPER.readTree(
                    "{\"type\":\"http-json\",\"url\":\"http://x/api\",\"items\":\"$.builds\"}"));
            assertThat(s.toString()).isEqualTo("{\"url\":\"http://x/api\",\"items\":\"$.builds\"}");
            assertThatThrownBy(() -> c.settings("target", MAPPER.readTree("{\"type\":\"sql\",\"table\":{}}")))
                    .isInstanceOf(ApiError.class).hasMessageContaining("target.table");
            assertThatThrownBy(() -> c.settings("source", MAPPER.readTree(
                    "{\"type\":\"http-json\",\"url\":\"http://x\",\"items\":\"builds\"}")))
                    .isInstanceOf(ApiError.class).hasMessageContaining("source.items");
            // internal addresses are refused unless HUB_OUTBOUND_ALLOWED_NETWORKS lists them
            assertThatThrownBy(() -> c.settings("source", MAPPER.readTree(
                    "{\"type\":\"http-json\",\"url\":\"http://169.254.169.254/latest\",\"items\":\"$.a\"}")))
                    .isInstanceOf(ApiError.class).hasMessageContaining("source.url")
                    .hasFieldOrPropertyWithValue("code", "destination_not_allowed");
        }
    }

    @Test
    void parallelRunsAddAndRemoveTheirRoutesSafely() throws Exception {
        try (DefaultCamelContext context = context()) {
            Connectors c = new Connectors(context, DestinationPolicy.of(""));
            ObjectNode settings = (ObjectNode) MAPPER.readTree("{\"url\":\"http://127.0.0.1:1/x\"}");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    runs.add(pool.submit(() -> {
                        for (int i = 0; i < 6; i++) {
                            String id = "sync-t" + thread + "-" + i + "-source";
                            assertThat(c.instantiate("source", "http-json", settings, id)).isEqualTo("direct:" + id);
                            assertThat(context.getRoute(id)).isNotNull();
                            c.remove(id);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : runs) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(context.getRoutes()).isEmpty();
        }
    }

    @Test
    void aRouteOfAJobEndingWhileTheContextStopsIsLeftToTheStop() throws Exception {
        DefaultCamelContext context = context();
        Connectors c = new Connectors(context, DestinationPolicy.of(""));
        String id = "sync-handed-back-source";
        c.instantiate("source", "http-json", (ObjectNode) MAPPER.readTree("{\"url\":\"http://127.0.0.1:1/x\"}"), id);
        List<Boolean> routeThereAfterRemove = new ArrayList<>();
        EventNotifierSupport onStopping = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    c.remove(id); // what a job handed back by the stop does as it ends
                    routeThereAfterRemove.add(context.getRoute(id) != null);
                }
            }
        };
        onStopping.start();
        context.getManagementStrategy().addEventNotifier(onStopping);
        context.stop();
        assertThat(routeThereAfterRemove).containsExactly(true);
        assertThat(context.isStopped()).isTrue();
        context.close();
    }
}
