package dev.webhookhub.store;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.InflaterInputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * How a delivery body is kept in webhook_delivery_payloads: as received (encoding null), or compressed when that is
 * smaller and compression is on ({@code HUB_INBOX_COMPRESS_PAYLOADS}). New bodies are written as {@value #LZ4}: the
 * body's length as 4 bytes little-endian, then one LZ4 block (the layout of python-lz4's
 * {@code lz4.block.decompress}); rows written before 2026-12 are {@value #DEFLATE} (zlib) and still read. The
 * embedded store holds every new row in memory until it writes its file, long enough for the row to be promoted to
 * the old generation; smaller bodies there mean fewer full collections under load. LZ4 takes about a fifth of zlib's
 * time on the inbox writer for a third more bytes (bench/README.md, "Tenth session").
 */
public final class StoredPayload {

    public static final String LZ4 = "lz4";
    /** zlib (RFC 1950, as HTTP's "deflate"): rows written by earlier versions. */
    public static final String DEFLATE = "deflate";
    /** Bodies shorter than this are stored as received: too small to be worth a compressor call. */
    static final int MIN_COMPRESSED_BYTES = 256;
    private static final int LENGTH_BYTES = Integer.BYTES;
    /** An LZ4 block expands its input at most about 255 times; a larger length is a damaged length field. */
    private static final int MAX_EXPANSION = 256;
    private static final int KEPT_BUFFER_BYTES = 256 * 1024;
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.safeInstance().safeDecompressor();

    /** The bytes to store and their encoding (null: as received). */
    public record Encoded(byte[] bytes, String encoding) {
    }

    /** Null when compression is off. The native LZ4 library when it loads here, else LZ4 in Java. */
    private final LZ4Compressor compressor;
    private final byte[] kept;

    /** An encoder for one thread (the inbox writer); {@code compress} false stores every body as received. */
    public StoredPayload(boolean compress) {
        this(compress ? LZ4Factory.fastestInstance() : null);
    }

    /** With {@code lz4} null, every body is stored as received. */
    StoredPayload(LZ4Factory lz4) {
        this.compressor = lz4 == null ? null : lz4.fastCompressor();
        this.kept = lz4 == null ? null : new byte[KEPT_BUFFER_BYTES];
    }

    public Encoded encode(byte[] body) {
        if (compressor == null || body.length < MIN_COMPRESSED_BYTES) {
            return new Encoded(body, null);
        }
        int bound = LENGTH_BYTES + compressor.maxCompressedLength(body.length);
        byte[] out = bound <= kept.length ? kept : new byte[bound];
        int n = LENGTH_BYTES + compressor.compress(body, 0, body.length, out, LENGTH_BYTES, bound - LENGTH_BYTES);
        if (n >= body.length) {
            return new Encoded(body, null);
        }
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(0, body.length);
        return new Encoded(Arrays.copyOf(out, n), LZ4);
    }

    /** The body as received, from the stored bytes and their encoding. */
    public static byte[] decode(byte[] stored, String encoding) {
        if (stored == null || encoding == null || encoding.isEmpty()) {
            return stored;
        }
        return switch (encoding) {
            case LZ4 -> decodeLz4(stored);
            case DEFLATE -> inflate(stored);
            default -> throw new StoreException("unknown payload encoding " + encoding, null);
        };
    }

    private static byte[] decodeLz4(byte[] stored) {
        if (stored.length < LENGTH_BYTES) {
            throw new StoreException("stored payload is truncated", null);
        }
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        if (length > Math.min(Integer.MAX_VALUE - 16, (long) stored.length * MAX_EXPANSION)) {
            throw new StoreException("stored payload is corrupt: it claims " + length + " bytes", null);
        }
        byte[] body = new byte[(int) length];
        int n;
        try {
            n = DECOMPRESSOR.decompress(stored, LENGTH_BYTES, stored.length - LENGTH_BYTES, body, 0, body.length);
        } catch (LZ4Exception e) {
            throw new StoreException("stored payload is corrupt or truncated", e);
        }
        if (n != body.length) {
            throw new StoreException("stored payload is truncated: " + n + " of " + length + " bytes", null);
        }
        return body;
    }

    private static byte[] inflate(byte[] stored) {
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(stored))) {
            return in.readAllBytes();
        } catch (EOFException e) {
            throw new StoreException("stored payload is truncated", e);
        } catch (IOException e) {
            throw new StoreException("stored payload is corrupt", e);
        }
    }
}
