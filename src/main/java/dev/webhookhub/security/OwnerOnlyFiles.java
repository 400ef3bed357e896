package dev.webhookhub.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Owner-only files and directories (0600 / 0700) for the data directory. Reads a small secret file, creating it
 * with owner-only permissions (0600) on first use. The file is written to a
 * temporary name and moved into place, so it is never seen half-written; an empty file counts as missing.
 */
public final class OwnerOnlyFiles {

    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    public static String readOrCreate(Path file, Supplier<String> initialValue) {
        try {
            String existing = read(file);
            if (existing != null) {
                return existing;
            }
            Path dir = file.toAbsolutePath().getParent();
            createPrivateDirectories(dir);
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

    /** Creates the directory (and missing parents) owner-only (0700), or takes group and other bits off it. */
    public static Path createPrivateDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
        }
        ownerOnly(dir);
        return dir;
    }

    /** Writes the file, created owner-only (0600); an existing file loses its group and other bits first. */
    public static void write(Path file, byte[] bytes) throws IOException {
        if (Files.exists(file)) {
            ownerOnly(file);
        } else {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: nothing to set
            } catch (FileAlreadyExistsException e) {
                ownerOnly(file);
            }
        }
        Files.write(file, bytes);
    }

    /** The attribute to create a file owner-only (0600) with, for {@code FileChannel.open} and the like. */
    public static FileAttribute<Set<PosixFilePermission>> ownerOnlyFile() {
        return PosixFilePermissions.asFileAttribute(OWNER_FILE);
    }

    /**
     * Makes the directory and everything in it owner-only: group and other permission bits are taken off every
     * directory and file (the owner's bits are kept). Symbolic links are not followed. Does nothing on a file system
     * without POSIX permissions. Returns how many entries were changed.
     */
    public static int ownerOnlyTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int[] changed = { 0 };
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                changed[0] += ownerOnly(d) ? 1 : 0;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() || attrs.isDirectory()) {
                    changed[0] += ownerOnly(f) ? 1 : 0;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE; // removed meanwhile (a closed journal segment, say)
            }
        });
        return changed[0];
    }

    /**
     * At start, once the store and journal are open: the data directory and every file in it (H2 database, journal
     * segments, backups, admin token, key) owner-only. Files made later are created 0600 by the hub, and those the
     * database creates itself sit in a directory only the owner can enter.
     */
    public static void secureDataDirectory(Path dataDir) {
        try {
            // the directory and what the hub keeps in it; nothing else, in case the data directory is shared
            int n = ownerOnly(dataDir) ? 1 : 0;
            try (java.util.stream.Stream<Path> entries = Files.list(dataDir)) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    if (isHubEntry(entry.getFileName().toString())) {
                        n += Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) ? ownerOnlyTree(entry)
                                : ownerOnly(entry) ? 1 : 0;
                    }
                }
            }
            if (n > 0) {
                org.slf4j.LoggerFactory.getLogger(OwnerOnlyFiles.class).info(
                        "data directory {}: group and other permissions removed from {} entries",
                        dataDir.toAbsolutePath(), n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the data directory " + dataDir + " owner-only", e);
        }
    }

    /** Names the hub creates in its data directory: H2 files, journal, body files, backups, build work, keys. */
    private static final java.util.List<String> HUB_ENTRIES = java.util.List.of("hub.", "inbox-journal",
            "delivery-bodies", "outbound-backup", "deploy-work", "instance-id", "admin-token", "secret.key");

    static boolean isHubEntry(String name) {
        for (String prefix : HUB_ENTRIES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Takes group and other bits off one path; true when it changed anything. */
    private static boolean ownerOnly(Path p) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> kept = EnumSet.noneOf(PosixFilePermission.class);
            for (PosixFilePermission perm : perms) {
                if (perm.name().startsWith("OWNER_")) {
                    kept.add(perm);
                }
            }
            if (kept.size() == perms.size()) {
                return false;
            }
            Files.setPosixFilePermissions(p, kept);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
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
