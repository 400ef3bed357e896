package dev.webhookhub.deliveries;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Message-id repository for the idempotent consumer in front of the durable inbox.
 *
 * <p>Camel's JdbcMessageIdRepository commits each key in a transaction of its own, before the delivery row: a crash
 * between the two would leave a key without its delivery, and the sender's retry would then be answered
 * "duplicate" and lost. Here the key is written by the inbox in the same transaction as the delivery row, and its
 * unique constraint decides: a retry of a delivery taken in earlier is found by that insert and recorded as a
 * duplicate ({@code DeliveryInbox.Outcome.DUPLICATE}), so {@link #add} does not read the store for every request.
 * This class holds the keys that are in flight in memory, so concurrent copies of one delivery cannot both pass. An
 * in-flight key is released when its exchange completes, by then the row is committed (or the exchange failed and
 * the key was never written).
 */
public final class DeliveryIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private final IdempotencyKeys keys;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public DeliveryIdempotentRepository(IdempotencyKeys keys) {
        this.keys = keys;
    }

    @Override
    public boolean add(String key) {
        // a key the store already holds is refused by the inbox's insert, in the delivery's own transaction
        return inFlight.add(key);
    }

    @Override
    public boolean contains(String key) {
        return inFlight.contains(key) || keys.contains(key);
    }

    @Override
    public boolean remove(String key) {
        inFlight.remove(key);
        return true;
    }

    @Override
    public boolean confirm(String key) {
        inFlight.remove(key);
        return true;
    }

    @Override
    public void clear() {
        inFlight.clear();
        keys.clear();
    }
}
