package dev.webhookhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void idsAreVersion7UniqueAndOrderedByMillisecond() throws Exception {
        Set<String> seen = new HashSet<>();
        String previous = TimeOrderedIds.next();
        for (int i = 0; i < 10_000; i++) {
            String id = TimeOrderedIds.next();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(seen.add(id)).isTrue();
        }
        Thread.sleep(2);
        String later = TimeOrderedIds.next();
        assertThat(later.substring(0, 13)).isGreaterThan(previous.substring(0, 13));
        long millis = UUID.fromString(later).getMostSignificantBits() >>> 16;
        assertThat(millis).isBetween(System.currentTimeMillis() - 1000, System.currentTimeMillis());
    }
}
