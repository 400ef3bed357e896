package dev.webhookhub.webhooks;

import dev.webhookhub.store.WebhookSecrets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registered webhooks by URL, with their secrets, as the receiver needs them: cached for a short time; changes made
 * through this hub apply at once, changes made by another instance within the TTL.
 */
public final class RegisteredWebhookDirectory {

    /** A webhook and the secrets its deliveries may be signed with. */
    public record Entry(RegisteredWebhook webhook, WebhookSecrets secrets) {
    }

    private record Cached(Optional<Entry> entry, long loadedAt) {
    }

    private final RegisteredWebhookStore store;
    private final long ttlNanos;
    private final Map<String, Cached> byUrl = new ConcurrentHashMap<>();

    public RegisteredWebhookDirectory(RegisteredWebhookStore store, Duration ttl) {
        this.store = store;
        this.ttlNanos = ttl.toNanos();
    }

    public Optional<Entry> byUrl(String webhookUrl) {
        long now = System.nanoTime();
        Cached c = byUrl.get(webhookUrl);
        if (c == null || now - c.loadedAt() > ttlNanos) {
            Optional<Entry> entry = store.findByUrl(webhookUrl)
                    .flatMap(w -> store.secrets(w.id()).map(s -> new Entry(w, s)));
            c = new Cached(entry, now);
            if (byUrl.size() > 10_000) {
                byUrl.clear();
            }
            byUrl.put(webhookUrl, c);
        }
        return c.entry();
    }

    public void invalidate(String webhookUrl) {
        byUrl.remove(webhookUrl);
    }
}
