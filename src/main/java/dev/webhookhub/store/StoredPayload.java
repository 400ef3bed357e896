package dev.webhookhub.store;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.InflaterInputStream;

/**
 * How a delivery body is kept in webhook_delivery_payloads: as received (encoding null), or compressed in the zlib
 * format (encoding {@value #DEFLATE}, as HTTP's "deflate") when that is smaller and compression is on
 * ({@code HUB_INBOX_COMPRESS_PAYLOADS}). The embedded store holds every new row in memory until it writes its file,
 * long enough for the row to be promoted to the old generation; smaller bodies there mean fewer full collections under
 * load, for the compressor's time on the inbox writer (bench/README.md, "What is promoted").
 */
public final class StoredPayload {

    public static final String DEFLATE = "deflate";
    /** Bodies shorter than this are stored as received: too small to be worth a compressor call. */
    static final int MIN_COMPRESSED_BYTES = 256;
    private static final int KEPT_BUFFER_BYTES = 256 * 1024;

    /** The bytes to store and their encoding (null: as received). */
    public record Encoded(byte[] bytes, String encoding) {
    }

    /** Null when compression is off: then no native compressor memory is taken. */
    private final Deflater deflater;
    private final byte[] kept;

    /** An encoder for one thread (the inbox writer); {@code compress} false stores every body as received. */
    public StoredPayload(boolean compress) {
        this.deflater = compress ? new Deflater(Deflater.BEST_SPEED) : null;
        this.kept = compress ? new byte[KEPT_BUFFER_BYTES] : null;
    }

    public Encoded encode(byte[] body) {
        if (deflater == null || body.length < MIN_COMPRESSED_BYTES) {
            return new Encoded(body, null);
        }
        // compressed output must be shorter than the body, so a buffer of the body's length is enough
        byte[] out = body.length <= kept.length ? kept : new byte[body.length];
        deflater.reset();
        deflater.setInput(body);
        deflater.finish();
        int n = deflater.deflate(out, 0, body.length);
        if (!deflater.finished() || n >= body.length) {
            return new Encoded(body, null);
        }
        return new Encoded(Arrays.copyOf(out, n), DEFLATE);
    }

    /** The body as received, from the stored bytes and their encoding. */
    public static byte[] decode(byte[] stored, String encoding) {
        if (stored == null || encoding == null || encoding.isEmpty()) {
            return stored;
        }
        if (!DEFLATE.equals(encoding)) {
            throw new StoreException("unknown payload encoding " + encoding, null);
        }
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(stored))) {
            return in.readAllBytes();
        } catch (EOFException e) {
            throw new StoreException("stored payload is truncated", e);
        } catch (IOException e) {
            throw new StoreException("stored payload is corrupt", e);
        }
    }

    /** Frees the compressor's native memory. */
    public void close() {
        if (deflater != null) {
            deflater.end();
        }
    }
}
