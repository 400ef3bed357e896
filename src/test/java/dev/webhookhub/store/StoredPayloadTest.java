package dev.webhookhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webhookhub.support.TestHub;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.DeflaterOutputStream;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

class StoredPayloadTest {

    private final StoredPayload encoder = new StoredPayload(true);

    @Test
    void realPushPayloadsAreStoredAsLz4AndReadBackByteForByte() throws Exception {
        for (String sample : new String[] { "github/push.json", "gitlab/push_hook.json", "bitbucket/repo_push.json" }) {
            byte[] body = Files.readAllBytes(TestHub.samples().resolve(sample));
            StoredPayload.Encoded stored = encoder.encode(body);

            assertThat(stored.encoding()).as(sample).isEqualTo(StoredPayload.LZ4);
            assertThat(stored.bytes().length).as(sample).isLessThan(body.length / 2);
            assertThat(StoredPayload.decode(stored.bytes(), stored.encoding())).as(sample).isEqualTo(body);
        }
    }

    @Test
    void whereTheNativeLibraryCannotLoadLz4sJavaCodeWritesTheSameFormat() throws Exception {
        byte[] body = Files.readAllBytes(TestHub.samples().resolve("github/push.json"));
        StoredPayload java = new StoredPayload(LZ4Factory.safeInstance());

        StoredPayload.Encoded stored = java.encode(body);

        assertThat(stored.encoding()).isEqualTo(StoredPayload.LZ4);
        assertThat(StoredPayload.decode(stored.bytes(), stored.encoding())).isEqualTo(body);
        // the blocks may differ byte for byte (each implementation finds its own matches); the layout does not
        assertThat(Arrays.copyOf(stored.bytes(), 4)).isEqualTo(Arrays.copyOf(encoder.encode(body).bytes(), 4));
        assertThat(StoredPayload.decode(encoder.encode(body).bytes(), StoredPayload.LZ4)).isEqualTo(body);
    }

    @Test
    void theStoredLayoutIsTheBodysLengthLittleEndianThenTheBlock() {
        byte[] body = "{\"ref\":\"refs/heads/main\"}".repeat(300).getBytes(StandardCharsets.UTF_8); // 7,500 bytes
        byte[] stored = encoder.encode(body).bytes();

        assertThat(Arrays.copyOf(stored, 4)).containsExactly(0x4C, 0x1D, 0x00, 0x00);
    }

    @Test
    void bodiesStoredDeflatedByEarlierVersionsAreStillRead() throws Exception {
        byte[] body = Files.readAllBytes(TestHub.samples().resolve("github/push.json"));
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(zlib)) {
            out.write(body);
        }

        assertThat(StoredPayload.decode(zlib.toByteArray(), StoredPayload.DEFLATE)).isEqualTo(body);
        byte[] damaged = zlib.toByteArray();
        damaged[damaged.length - 1] ^= 0x55; // the zlib trailer's checksum
        assertThatThrownBy(() -> StoredPayload.decode(damaged, StoredPayload.DEFLATE))
                .isInstanceOf(StoreException.class).hasMessageContaining("corrupt");
        byte[] cut = Arrays.copyOf(zlib.toByteArray(), zlib.size() / 2);
        assertThatThrownBy(() -> StoredPayload.decode(cut, StoredPayload.DEFLATE))
                .isInstanceOf(StoreException.class).hasMessageContaining("truncated");
    }

    @Test
    void oneEncoderServesBodiesOfEverySizeInTurn() {
        byte[] big = "{\"commits\":[{\"id\":\"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c\"}]}".repeat(40_000)
                .getBytes(StandardCharsets.UTF_8); // 2.4 MB: over the kept buffer
        byte[] small = "{\"ref\":\"refs/heads/main\",\"after\":\"abc\",\"pusher\":{\"name\":\"octo\"}}".repeat(8)
                .getBytes(StandardCharsets.UTF_8);
        for (byte[] body : new byte[][] { small, big, small }) {
            StoredPayload.Encoded stored = encoder.encode(body);
            assertThat(stored.encoding()).isEqualTo(StoredPayload.LZ4);
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
    }

    @Test
    void damagedOrUnknownStoredBytesAreAStoreErrorNotGarbage() throws Exception {
        byte[] body = Files.readAllBytes(TestHub.samples().resolve("github/push.json"));
        byte[] stored = encoder.encode(body).bytes();

        assertThatThrownBy(() -> StoredPayload.decode(Arrays.copyOf(stored, stored.length / 2), StoredPayload.LZ4))
                .isInstanceOf(StoreException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> StoredPayload.decode(Arrays.copyOf(stored, 3), StoredPayload.LZ4))
                .isInstanceOf(StoreException.class).hasMessageContaining("truncated");
        byte[] longer = withLength(stored, body.length + 1); // one byte more than the block holds
        assertThatThrownBy(() -> StoredPayload.decode(longer, StoredPayload.LZ4))
                .isInstanceOf(StoreException.class).hasMessageContaining("truncated");
        byte[] shorter = withLength(stored, body.length - 1);
        assertThatThrownBy(() -> StoredPayload.decode(shorter, StoredPayload.LZ4))
                .isInstanceOf(StoreException.class).hasMessageContaining("corrupt");
        byte[] huge = withLength(stored, 0x7F00_0000); // about 2 GB: refused before anything is allocated
        assertThatThrownBy(() -> StoredPayload.decode(huge, StoredPayload.LZ4))
                .isInstanceOf(StoreException.class).hasMessageContaining("claims");
        assertThatThrownBy(() -> StoredPayload.decode(stored, "br"))
                .isInstanceOf(StoreException.class).hasMessageContaining("unknown payload encoding br");
    }

    private static byte[] withLength(byte[] stored, int length) {
        byte[] copy = stored.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(0, length);
        return copy;
    }
}
