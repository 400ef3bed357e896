package dev.webhookhub.deliveries;

import dev.webhookhub.security.OwnerOnlyFiles;
import dev.webhookhub.store.StoredPayload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The bodies of accepted deliveries in embedded mode: append-only files ({@code bodies-<n>.dat}) instead of rows of
 * webhook_delivery_payloads, which cost H2 more than the rest of a delivery's row (bench/README.md, "Ceilings").
 * The inbox writer appends a batch's bodies with one write, in the same pass as its journal record, so a body is in
 * the file (and with {@code fsync} on the disk) before its delivery is acknowledged, as durable as the journal
 * record; the delivery row keeps a {@link Ref} to it. A file is never changed
 * after it was written; retention deletes whole files once no delivery row points into them. Each body is framed by
 * its length and CRC-32, so a damaged file is reported rather than read as a body.
 */
public final class DeliveryBodies {

    /** Where a stored body is: file number, offset of its frame, length and encoding of the stored bytes. */
    public record Ref(long file, long offset, int length, String encoding) {
    }

    private static final String PREFIX = "bodies-";
    private static final String SUFFIX = ".dat";
    /** Each body is preceded by its length and the CRC-32 of its bytes (both int). */
    private static final int FRAME = 2 * Integer.BYTES;
    private static final int KEPT_BUFFER_BYTES = 4 * 1024 * 1024;

    private final Path dir;
    private final boolean fsync;
    private final long maxFileBytes;
    private final long maxFileNanos;
    /** The file being appended to: its number and channel (null before the first append), set together. */
    private record Current(long number, FileChannel channel) {
    }

    /** Written by the appending thread only; read by {@link #currentFile} on others. */
    private volatile Current current;
    private long fileStarted;
    private long size;
    private ByteBuffer scratch;

    /** Files of at most 64 MB and one hour: retention frees a body's disk within an hour of its delivery's row. */
    public DeliveryBodies(Path dir, boolean fsync) {
        this(dir, fsync, 64L * 1024 * 1024, Duration.ofHours(1));
    }

    /**
     * {@code fsync}: every append is forced to disk before it returns (as the journal's setting); a new file is
     * started once the current one has {@code maxFileBytes} or was started {@code maxFileAge} ago.
     */
    public DeliveryBodies(Path dir, boolean fsync, long maxFileBytes, Duration maxFileAge) {
        this.dir = dir;
        this.fsync = fsync;
        this.maxFileBytes = maxFileBytes;
        this.maxFileNanos = maxFileAge.toNanos();
        try {
            OwnerOnlyFiles.createPrivateDirectories(dir);
            this.current = new Current(files().stream().mapToLong(DeliveryBodies::numberOf).max().orElse(0), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the delivery body files in " + dir, e);
        }
    }

    /** Appends the bodies with one write and returns where each one is; only the inbox writer thread appends. */
    public List<Ref> append(List<StoredPayload.Encoded> bodies) throws IOException {
        if (current.channel() == null || size >= maxFileBytes || System.nanoTime() - fileStarted >= maxFileNanos) {
            startFile();
        }
        Current file = current;
        int total = 0;
        for (StoredPayload.Encoded b : bodies) {
            total += FRAME + b.bytes().length;
        }
        ByteBuffer out = buffer(total);
        List<Ref> refs = new ArrayList<>(bodies.size());
        CRC32 crc = new CRC32();
        for (StoredPayload.Encoded b : bodies) {
            refs.add(new Ref(file.number(), size + out.position(), b.bytes().length, b.encoding()));
            crc.reset();
            crc.update(b.bytes());
            out.putInt(b.bytes().length).putInt((int) crc.getValue()).put(b.bytes());
        }
        out.flip();
        FileChannel c = file.channel();
        while (out.hasRemaining()) {
            c.write(out);
        }
        if (fsync) {
            c.force(false);
        }
        size += total;
        return refs;
    }

    private ByteBuffer buffer(int size) {
        if (size > KEPT_BUFFER_BYTES) {
            return ByteBuffer.allocateDirect(size);
        }
        if (scratch == null || scratch.capacity() < size) {
            scratch = ByteBuffer.allocateDirect(Math.min(KEPT_BUFFER_BYTES, Math.max(size,
                    scratch == null ? 64 * 1024 : scratch.capacity() * 2)));
        }
        return scratch.clear();
    }

    private void startFile() throws IOException {
        Current finished = current;
        FileChannel next = FileChannel.open(path(finished.number() + 1),
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OwnerOnlyFiles.ownerOnlyFile());
        if (finished.channel() != null) {
            finished.channel().close();
        }
        size = 0;
        fileStarted = System.nanoTime();
        current = new Current(finished.number() + 1, next);
    }

    /** The stored bytes at {@code ref}; empty when its file is gone (retention deleted it meanwhile). */
    public Optional<byte[]> read(Ref ref) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(FRAME + ref.length());
        try (FileChannel c = FileChannel.open(path(ref.file()), StandardOpenOption.READ)) {
            while (frame.hasRemaining()) {
                if (c.read(frame, ref.offset() + frame.position()) < 0) {
                    throw new IOException(damaged(ref, "ends early"));
                }
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        frame.flip();
        int length = frame.getInt();
        int crc = frame.getInt();
        byte[] bytes = new byte[ref.length()];
        frame.get(bytes);
        CRC32 check = new CRC32();
        check.update(bytes);
        if (length != ref.length() || (int) check.getValue() != crc) {
            throw new IOException(damaged(ref, "does not match its checksum"));
        }
        return Optional.of(bytes);
    }

    private String damaged(Ref ref, String how) {
        return "delivery body at " + path(ref.file()).getFileName() + ":" + ref.offset() + " " + how;
    }

    /**
     * Deletes the files numbered below {@code below} that are not in {@code inUse}; returns how many. Retention
     * passes {@link #currentFile()} as read before it listed the files delivery rows point into.
     */
    public int deleteUnused(long below, Set<Long> inUse) throws IOException {
        int deleted = 0;
        for (Path p : files()) {
            long n = numberOf(p);
            if (n < below && !inUse.contains(n) && Files.deleteIfExists(p)) {
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * The number of the file being written, or of the next one: every delivery row that points below it was
     * committed before this call (the inbox appends a batch's bodies and commits its rows before it appends again).
     */
    public long currentFile() {
        Current c = current;
        return c.channel() == null ? c.number() + 1 : c.number();
    }

    /** Files on disk, lowest number first. */
    List<Path> files() throws IOException {
        try (Stream<Path> all = Files.list(dir)) {
            return all.filter(p -> p.getFileName().toString().startsWith(PREFIX)
                    && p.getFileName().toString().endsWith(SUFFIX))
                    .sorted((a, b) -> Long.compare(numberOf(a), numberOf(b))).toList();
        }
    }

    private Path path(long n) {
        return dir.resolve(PREFIX + String.format("%012d", n) + SUFFIX);
    }

    private static long numberOf(Path p) {
        String name = p.getFileName().toString();
        return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }

    /** Closes the file being written; appends after this fail. */
    public void close() throws IOException {
        FileChannel c = current.channel();
        if (c != null) {
            c.close();
        }
    }
}
