package dev.webhookhub.jenkins;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step of the Quartz poller route: one sync pass, or nothing when a pass is still running. A Jenkins that is
 * down, slow or answering garbage fails this tick only (logged by {@link JenkinsSync}, reported by the health check);
 * the next tick tries again. Sets headers {@code hubJenkinsNew}, {@code hubJenkinsUpdated} for the route's log.
 */
public final class JenkinsPoller implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(JenkinsPoller.class);

    private final JenkinsSync sync;

    public JenkinsPoller(JenkinsSync sync) {
        this.sync = sync;
    }

    @Override
    public void process(Exchange exchange) {
        if (!sync.configured()) {
            return;
        }
        try {
            sync.syncIfIdle().ifPresent(r -> {
                exchange.getIn().setHeader("hubJenkinsNew", r.newRuns());
                exchange.getIn().setHeader("hubJenkinsUpdated", r.updated());
            });
        } catch (JenkinsUnavailableException e) {
            exchange.getIn().setHeader("hubJenkinsError", e.getMessage());
        } catch (RuntimeException e) {
            // e.g. the store is unavailable: this tick is lost, the next one tries again
            LOG.warn("Jenkins sync pass failed: {}", e.toString());
            exchange.getIn().setHeader("hubJenkinsError", e.toString());
        }
    }
}
