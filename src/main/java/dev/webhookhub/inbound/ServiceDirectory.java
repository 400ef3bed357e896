package dev.webhookhub.inbound;

import dev.webhookhub.store.Service;
import dev.webhookhub.store.ServiceStore;
import dev.webhookhub.store.WebhookSecretStore;
import dev.webhookhub.store.WebhookSecrets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Services and their webhook secrets as the receivers need them, cached for a short time so the hot path does not
 * read and decrypt them on every delivery. Admin changes made through this hub invalidate the entry at once; changes
 * made by another hub instance are seen within the TTL.
 */
public final class ServiceDirectory {

    private record Entry(Optional<Service> service, Optional<Integer> rateLimit,
            Map<String, Optional<WebhookSecrets>> secrets, long loadedAt) {
    }

    private final ServiceStore services;
    private final WebhookSecretStore secrets;
    private final long ttlNanos;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public ServiceDirectory(ServiceStore services, WebhookSecretStore secrets, Duration ttl) {
        this.services = services;
        this.secrets = secrets;
        this.ttlNanos = ttl.toNanos();
    }

    public Optional<Service> service(String serviceId) {
        return entry(serviceId).service();
    }

    /** Deliveries per minute the service's receivers take, if limited. */
    public Optional<Integer> rateLimit(String serviceId) {
        return entry(serviceId).rateLimit();
    }

    /**
     * Whether the service exists, from the cache only (never the store, so safe on an event loop): null when the
     * service is not cached or its entry is stale.
     */
    public Boolean cachedExists(String serviceId) {
        Entry e = cache.get(serviceId);
        if (e == null || System.nanoTime() - e.loadedAt() > ttlNanos) {
            return null;
        }
        return e.service().isPresent();
    }

    public Optional<WebhookSecrets> secrets(String serviceId, String provider) {
        Entry e = entry(serviceId);
        return e.secrets().computeIfAbsent(provider, p -> secrets.find(serviceId, p));
    }

    public void invalidate(String serviceId) {
        cache.remove(serviceId);
    }

    private Entry entry(String serviceId) {
        long now = System.nanoTime();
        Entry e = cache.get(serviceId);
        if (e == null || now - e.loadedAt() > ttlNanos) {
            Optional<Service> service = services.find(serviceId);
            e = new Entry(service, service.isPresent() ? services.rateLimit(serviceId) : Optional.empty(),
                    new ConcurrentHashMap<>(), now);
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(serviceId, e);
        }
        return e;
    }
}
