package dev.webhookhub.inbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Webhook requests for a service that does not exist: nothing to attach a delivery-log row to, and anyone can send
 * them, so they are counted ({@code hub_webhooks_unknown_total{provider=...}} in the Prometheus metrics) instead of
 * stored. The provider label is a known provider's name or {@code other}, so arbitrary paths add no series.
 */
public final class UnknownWebhooks {

    public static final String COUNTER = "hub.webhooks.unknown";

    private final Set<String> providers;
    private final Supplier<MeterRegistry> registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public UnknownWebhooks(Set<String> providers, Supplier<MeterRegistry> registry) {
        this.providers = Set.copyOf(providers);
        this.registry = registry;
    }

    public void count(String provider) {
        String p = provider == null ? "other" : provider.toLowerCase(Locale.ROOT);
        String label = providers.contains(p) ? p : "other";
        Counter c = counters.get(label);
        if (c == null) {
            MeterRegistry r = registry.get();
            if (r == null) {
                return;
            }
            c = counters.computeIfAbsent(label, l -> Counter.builder(COUNTER).tag("provider", l)
                    .description("webhook requests for services that do not exist (not stored)").register(r));
        }
        c.increment();
    }
}
