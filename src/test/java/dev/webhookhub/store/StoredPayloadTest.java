package dev.webhookhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webhookhub.support.TestHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoredPayloadTest {

    private final StoredPayload encoder = new StoredPayload(true);

    @AfterEach
    void close() {
        encoder.close();
    }

    @Test
    void realPushPayloadsAreStoredDeflatedAndReadBackByteForByte() throws Exception {
        for (String sample : new String[] { "github/push.json", "gitlab/push_hook.json", "bitbucket/repo_push.json" }) {
            byte[] body = Files.readAllBytes(TestHub.samples().resolve(sample));
            StoredPayload.Encoded stored = encoder.encode(body);

            assertThat(stored.encoding()).as(sample).isEqualTo(StoredPayload.DEFLATE);
            assertThat(stored.bytes().length).as(sample).isLessThan(body.length / 2);
            assertThat(StoredPayload.decode(stored.bytes(), stored.encoding())).as(sample).isEqualTo(body);
        }
    }

    @Test
    void oneEncoderServesBodiesOfEverySizeInTurn() {
        byte[] big = "{\"commits\":[{\"id\":\"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c\"}]}".repeat(40_000)
                .getBytes(StandardCharsets.UTF_8); // 2.4 MB: over the kept buffer
        byte[] small = "{\"ref\":\"refs/heads/main\",\"after\":\"abc\",\"pusher\":{\"name\":\"octo\"}}".repeat(8)
                .getBytes(StandardCharsets.UTF_8);
        for (byte[] body : new byte[][] { small, big, small }) {
            StoredPayload.Encoded stored = encoder.encode(body);
            assertThat(stored.encoding()).isEqualTo(StoredPayload.DEFLATE);
            assertThat(StoredPayload.decode(stored.bytes(), stored.encoding())).isEqualTo(body);
        }
    }

    @Test
    void bodiesThatDoNotShrinkOrAreTinyAreStoredAsReceived() {
        byte[] random = new byte[4096];
        new Random(7).nextBytes(random);
        byte[] tiny = "{\"zen\":\"Keep it logically awesome.\"}".getBytes(StandardCharsets.UTF_8);

        for (byte[] body : new byte[][] { random, tiny }) {
            StoredPayload.Encoded stored = encoder.encode(body);
            assertThat(stored.encoding()).isNull();
            assertThat(stored.bytes()).isSameAs(body);
            assertThat(StoredPayload.decode(stored.bytes(), null)).isSameAs(body);
        }
    }

    @Test
    void compressionCanBeTurnedOff() {
        StoredPayload plain = new StoredPayload(false);
        byte[] body = "{\"a\":1}".repeat(200).getBytes(StandardCharsets.UTF_8);
        assertThat(plain.encode(body).encoding()).isNull();
        assertThat(plain.encode(body).bytes()).isSameAs(body);
        plain.close();
    }

    @Test
    void damagedOrUnknownStoredBytesAreAStoreErrorNotGarbage() {
        byte[] body = "{\"a\":1}".repeat(200).getBytes(StandardCharsets.UTF_8);
        byte[] stored = encoder.encode(body).bytes();

        assertThatThrownBy(() -> StoredPayload.decode(Arrays.copyOf(stored, stored.length / 2), StoredPayload.DEFLATE))
                .isInstanceOf(StoreException.class).hasMessageContaining("truncated");
        byte[] flipped = stored.clone();
        flipped[flipped.length - 1] ^= 0x55; // the zlib trailer's checksum
        assertThatThrownBy(() -> StoredPayload.decode(flipped, StoredPayload.DEFLATE))
                .isInstanceOf(StoreException.class).hasMessageContaining("corrupt");
        assertThatThrownBy(() -> StoredPayload.decode(stored, "br"))
                .isInstanceOf(StoreException.class).hasMessageContaining("unknown payload encoding br");
    }
}
