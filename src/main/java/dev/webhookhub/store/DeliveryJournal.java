package dev.webhookhub.store;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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

    private final Path dir;
    private final boolean fsync;
    private FileChannel channel;
    private Path current;
    private long sequence;
    private long bytesInSegment;

    public DeliveryJournal(Path dir, boolean fsync) {
        this.dir = dir;
        this.fsync = fsync;
        try {
            Files.createDirectories(dir);
            sequence = segments().stream().mapToLong(DeliveryJournal::sequenceOf).max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open delivery journal " + dir, e);
        }
    }

    /** Appends the records with a single write; returns once the bytes are in the file. */
    public void append(List<DeliveryRecord> records) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(records.size() * 9000);
        DataOutputStream out = new DataOutputStream(buffer);
        for (DeliveryRecord r : records) {
            byte[] body = encode(r);
            CRC32 crc = new CRC32();
            crc.update(body);
            out.writeInt(body.length);
            out.writeLong(crc.getValue());
            out.write(body);
        }
        if (channel == null) {
            openNewSegment();
        }
        ByteBuffer bytes = ByteBuffer.wrap(buffer.toByteArray());
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        if (fsync) {
            channel.force(false);
        }
        bytesInSegment += buffer.size();
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
        channel = FileChannel.open(current, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        bytesInSegment = 0;
    }

    private static long sequenceOf(Path p) {
        String name = p.getFileName().toString();
        return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }

    static byte[] encode(DeliveryRecord r) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(
                512 + (r.payload() == null ? 0 : r.payload().length));
        DataOutputStream out = new DataOutputStream(buffer);
        writeString(out, r.id());
        writeString(out, r.provider());
        writeString(out, r.serviceId());
        writeString(out, r.deliveryId());
        writeString(out, r.eventType());
        writeBytes(out, r.payload());
        out.writeLong(r.payloadSize());
        out.writeBoolean(r.payloadTruncated());
        writeString(out, r.headersJson());
        out.writeByte(r.signatureValid() == null ? -1 : r.signatureValid() ? 1 : 0);
        writeString(out, r.status());
        out.writeInt(r.responseCode());
        out.writeInt(r.processingTimeMs());
        writeString(out, r.eventJson());
        writeString(out, r.error());
        out.writeLong(r.createdAt().getEpochSecond());
        out.writeInt(r.createdAt().getNano());
        writeString(out, r.idempotencyKey());
        out.flush();
        return buffer.toByteArray();
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

    private static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
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
