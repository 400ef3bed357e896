package dev.webhookhub.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * Reads a small secret file, creating it with owner-only permissions (0600) on first use. The file is written to a
 * temporary name and moved into place, so it is never seen half-written; an empty file counts as missing.
 */
public final class OwnerOnlyFiles {

    private OwnerOnlyFiles() {
    }

    public static String readOrCreate(Path file, Supplier<String> initialValue) {
        try {
            String existing = read(file);
            if (existing != null) {
                return existing;
            }
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            String value = initialValue.get();
            Path tmp = ownerOnlyTempFile(dir, file.getFileName().toString());
            try {
                Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
                boolean created = Files.notExists(file) || read(file) == null;
                if (!created) {
                    return read(file);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
                return value;
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    private static String read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String value = Files.readString(file, StandardCharsets.UTF_8).trim();
        return value.isEmpty() ? null : value;
    }

    private static Path ownerOnlyTempFile(Path dir, String name) throws IOException {
        try {
            return Files.createTempFile(dir, "." + name, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(dir, "." + name, ".tmp");
        } catch (FileAlreadyExistsException e) {
            throw new IOException("temporary file clash for " + name, e);
        }
    }
}
