package dev.webhookhub.store;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UUIDv7-style ids (RFC 9562): 48 bits of Unix milliseconds, then random bits. Rows inserted at about the same time
 * get neighbouring keys, so a batch of inserts touches few index pages; and no shared SecureRandom is contended on the
 * hot path. The ids identify rows; they are not secrets.
 */
public final class TimeOrderedIds {

    private TimeOrderedIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
