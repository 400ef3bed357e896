package dev.webhookhub.deliveries;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Append-only journal that makes the embedded store's group commits durable cheaply. H2 writes its file in the
 * background; before a batch of deliveries is acknowledged it is appended here with one write() call, which survives
 * the process being killed. After H2 has flushed (CHECKPOINT) the journal segment is deleted; at start, segments left
 * by a crash are replayed into the store. Each record carries a CRC, so a record torn by a crash mid-write (never
 * acknowledged) is ignored.
 */
public final class DeliveryJournal implements AutoCloseable {

    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".log";
    /** Each record starts with its length (int) and the CRC-32 of its bytes (long). */
    private static final int RECORD_HEADER = Integer.BYTES + Long.BYTES;
    /** Largest write buffer kept for the next append (a batch of 256 deliveries of 8 KB is about 2.5 MB). */
    private static final int KEPT_BUFFER_BYTES = 8 * 1024 * 1024;

    private final Path dir;
    private final boolean fsync;
    private FileChannel channel;
    private Path current;
    private long sequence;
    private long bytesInSegment;
    private ByteBuffer scratch;

    public DeliveryJournal(Path dir, boolean fsync) {
        this.dir = dir;
        this.fsync = fsync;
        try {
            dev.webhookhub.security.OwnerOnlyFiles.createPrivateDirectories(dir);
            sequence = segments().stream().mapToLong(DeliveryJournal::sequenceOf).max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open delivery journal " + dir, e);
        }
    }

    /**
     * Appends the records with a single write; returns once the bytes are in the file. Every delivery passes through
     * here, so the records are encoded straight into one buffer kept between calls (only the inbox writer thread
     * appends) instead of copying each body through intermediate streams.
     */
    public void append(List<DeliveryRecord> records) throws IOException {
        int size = 0;
        for (DeliveryRecord r : records) {
            size += RECORD_HEADER + encodedSize(r);
        }
        ByteBuffer bytes = buffer(size);
        CRC32 crc = new CRC32();
        for (DeliveryRecord r : records) {
            int start = bytes.position();
            bytes.position(start + RECORD_HEADER);
            encode(r, bytes);
            int length = bytes.position() - start - RECORD_HEADER;
            crc.reset();
            crc.update(bytes.duplicate().position(start + RECORD_HEADER).limit(bytes.position()));
            bytes.putInt(start, length).putLong(start + Integer.BYTES, crc.getValue());
        }
        bytes.flip();
        int written = bytes.remaining();
        if (channel == null) {
            openNewSegment();
        }
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        if (fsync) {
            channel.force(false);
        }
        bytesInSegment += written;
    }

    /**
     * The reusable write buffer, cleared, with room for {@code size} bytes; an oversized one is not kept. Direct, so
     * the channel writes it without copying it into a temporary direct buffer first.
     */
    private ByteBuffer buffer(int size) {
        if (size > KEPT_BUFFER_BYTES) {
            return ByteBuffer.allocateDirect(size);
        }
        if (scratch == null || scratch.capacity() < size) {
            scratch = ByteBuffer.allocateDirect(Math.min(KEPT_BUFFER_BYTES, Math.max(size, scratch == null ? 0
                    : scratch.capacity() * 2)));
        }
        return scratch.clear();
    }

    public boolean isEmpty() {
        return bytesInSegment == 0;
    }

    /** Closes the current segment so that everything in it can be deleted after the store has flushed. */
    public Path rotate() throws IOException {
        Path closed = current;
        if (channel != null) {
            channel.close();
            channel = null;
            current = null;
            bytesInSegment = 0;
        }
        return closed;
    }

    public void delete(Path segment) throws IOException {
        if (segment != null) {
            Files.deleteIfExists(segment);
        }
    }

    /**
     * Moves segments out of the journal into {@code unrestored/<time>/} (segment numbers start again once the journal
     * is empty, so each set keeps its own directory), for an operator; returns that directory.
     */
    public Path setAside(List<Path> segments) throws IOException {
        Path kept = Files.createDirectories(dir.resolve("unrestored")
                .resolve(String.valueOf(System.currentTimeMillis())));
        for (Path segment : segments) {
            Files.move(segment, kept.resolve(segment.getFileName()));
        }
        return kept;
    }

    /** Reads every record of every segment on disk, oldest first. */
    public void replay(Consumer<DeliveryRecord> sink) throws IOException {
        for (Path segment : segments()) {
            try (InputStream raw = Files.newInputStream(segment);
                    DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
                while (true) {
                    int length;
                    long crc;
                    byte[] body;
                    try {
                        length = in.readInt();
                        crc = in.readLong();
                        if (length < 0 || length > 64 * 1024 * 1024) {
                            break;
                        }
                        body = in.readNBytes(length);
                    } catch (EOFException e) {
                        break;
                    }
                    CRC32 check = new CRC32();
                    check.update(body);
                    if (body.length != length || check.getValue() != crc) {
                        break; // torn tail: written while the process died, never acknowledged
                    }
                    sink.accept(decode(body));
                }
            }
        }
    }

    /** Segments on disk, oldest first. */
    public List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.filter(p -> p.getFileName().toString().startsWith(PREFIX)
                    && p.getFileName().toString().endsWith(SUFFIX))
                    .sorted((a, b) -> Long.compare(sequenceOf(a), sequenceOf(b))).toList());
        }
    }

    private void openNewSegment() throws IOException {
        sequence++;
        current = dir.resolve(PREFIX + String.format("%012d", sequence) + SUFFIX);
        channel = FileChannel.open(current, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                dev.webhookhub.security.OwnerOnlyFiles.ownerOnlyFile()); // 0600, as the rest of the data directory
        bytesInSegment = 0;
    }

    private static long sequenceOf(Path p) {
        String name = p.getFileName().toString();
        return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }

    /** The record in the layout {@link #decode} reads (big-endian, as DataOutputStream writes). */
    private static void encode(DeliveryRecord r, ByteBuffer out) {
        putString(out, r.id());
        putString(out, r.provider());
        putString(out, r.serviceId());
        putString(out, r.deliveryId());
        putString(out, r.eventType());
        putBytes(out, r.payload());
        out.putLong(r.payloadSize());
        out.put((byte) (r.payloadTruncated() ? 1 : 0));
        putString(out, r.headersJson());
        out.put((byte) (r.signatureValid() == null ? -1 : r.signatureValid() ? 1 : 0));
        putString(out, r.status());
        out.putInt(r.responseCode());
        out.putInt(r.processingTimeMs());
        putString(out, r.eventJson());
        putString(out, r.error());
        out.putLong(r.createdAt().getEpochSecond());
        out.putInt(r.createdAt().getNano());
        putString(out, r.idempotencyKey());
    }

    /** At least the bytes {@link #encode} writes for the record (UTF-8 takes at most three bytes per char). */
    private static int encodedSize(DeliveryRecord r) {
        // 10 string and 1 payload length prefixes, response code, processing time, nanos; 2 longs; 2 flag bytes
        return 14 * Integer.BYTES + 2 * Long.BYTES + 2 + bytes(r.payload()) + utf8(r.id()) + utf8(r.provider())
                + utf8(r.serviceId()) + utf8(r.deliveryId()) + utf8(r.eventType()) + utf8(r.headersJson())
                + utf8(r.status()) + utf8(r.eventJson()) + utf8(r.error()) + utf8(r.idempotencyKey());
    }

    private static int bytes(byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static int utf8(String s) {
        return s == null ? 0 : s.length() * 3;
    }

    static DeliveryRecord decode(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body));
        String id = readString(in);
        String provider = readString(in);
        String serviceId = readString(in);
        String deliveryId = readString(in);
        String eventType = readString(in);
        byte[] payload = readBytes(in);
        long payloadSize = in.readLong();
        boolean truncated = in.readBoolean();
        String headers = readString(in);
        byte sig = in.readByte();
        String status = readString(in);
        int code = in.readInt();
        int ms = in.readInt();
        String event = readString(in);
        String error = readString(in);
        Instant createdAt = Instant.ofEpochSecond(in.readLong(), in.readInt());
        String key = readString(in);
        return new DeliveryRecord(id, provider, serviceId, deliveryId, eventType, payload, payloadSize, truncated,
                headers, sig < 0 ? null : sig == 1, status, code, ms, event, error, createdAt, key);
    }

    private static void putString(ByteBuffer out, String s) {
        putBytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    private static void putBytes(ByteBuffer out, byte[] b) {
        if (b == null) {
            out.putInt(-1);
        } else {
            out.putInt(b.length).put(b);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = readBytes(in);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        return n < 0 ? null : in.readNBytes(n);
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
