package dev.webhookhub.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webhookhub.HubSettings;
import dev.webhookhub.api.AdminAuth;
import dev.webhookhub.events.EventBus;
import dev.webhookhub.outbound.OutboundPublisher;
import dev.webhookhub.security.SignatureSchemes;
import dev.webhookhub.store.StoreFlush;
import java.io.InputStream;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipeline-results parts from the {@code hub.results.*} and {@code hub.results-receiver.*} settings: the
 * admin API (stage reports, completion, received results) and the beans of routes/results-receiver.yaml. Needs the
 * {@code outboundPublisher} and {@code eventBus} beans, so it is installed after the outbound engine.
 */
public final class ResultsWiring {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsWiring.class);

    private ResultsWiring() {
    }

    public static void install(CamelContext context, DataSource ds, ObjectMapper mapper, StoreFlush flush,
            AdminAuth auth, HubSettings settings) throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();

        String schemaUri = get(pc, "hub.results.schema", ResultsSchema.DEFAULT_URI);
        try (InputStream ignored = ResourceHelper.resolveMandatoryResourceAsInputStream(context, schemaUri)) {
            LOG.debug("pipeline results schema: {}", schemaUri);
        }
        boolean autoComplete = Boolean.parseBoolean(get(pc, "hub.results.auto-complete", "true"));
        PipelineResults results = new PipelineResults(new PipelineResultsStore(ds, flush, mapper),
                new ResultsSchema(context, schemaUri), registry.lookupByNameAndType("outboundPublisher",
                        OutboundPublisher.class), registry.lookupByNameAndType("eventBus", EventBus.class),
                mapper, clock, autoComplete, settings.publicUrl());
        ReceivedResultsStore received = new ReceivedResultsStore(ds, flush);
        context.addRoutes(new ResultsApiRoutes(auth, new ResultsApi(results, mapper),
                new ReceivedResultsApi(received, mapper)));

        ResultsSignatureCheck check = new ResultsSignatureCheck(
                get(pc, "hub.results-receiver.scheme", "standard-webhooks"),
                get(pc, "hub.results-receiver.secret", ""),
                registry.lookupByNameAndType("signatureSchemes", SignatureSchemes.class));
        registry.bind("resultsReceiverVerifier", new ResultsReceiverVerifier(check));
        registry.bind("receivedResultParser", new ReceivedResultParser(mapper, clock));
        registry.bind("resultsReceiverRecorder", new ResultsReceiverRecorder(received));
        registry.bind("resultsReceiverResponder", new ResultsReceiverResponder(mapper));
        if (!check.enabled()) {
            LOG.warn("HUB_RESULTS_RECEIVER_SECRET is not set: POST /webhook/results stores unsigned requests from "
                    + "anyone who can reach the hub");
        }
        LOG.info("pipeline results: schema {}, auto-complete {}, receiver scheme {}", schemaUri,
                autoComplete ? "after the four stages" : "off", check.scheme());
    }

    private static String get(PropertiesComponent pc, String key, String defaultValue) {
        return pc.resolveProperty(key).filter(v -> !v.isBlank()).orElse(defaultValue);
    }
}
