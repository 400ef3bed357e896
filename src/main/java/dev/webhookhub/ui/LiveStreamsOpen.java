package dev.webhookhub.ui;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * Whether any dashboard live stream is open (routes/dashboard-live.yaml): without one, a bus event is not turned
 * into a stream frame at all. Named with the {@code ref} language, as it runs for every bus event.
 */
public final class LiveStreamsOpen implements Predicate {

    private final LiveEvents live;

    public LiveStreamsOpen(LiveEvents live) {
        this.live = live;
    }

    @Override
    public boolean matches(Exchange exchange) {
        return live.openStreams() > 0;
    }
}
