package dev.forklift.shm;

import dev.forklift.ForkliftException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Makes and checks the per-user shared-memory directory without ever following a symbolic link in its place. The
 * rules, in the order they are checked, on the entry itself ({@code lstat}, never the target of a link):
 * <ol>
 *   <li>the base that holds it must not let other users replace its entries (group- or world-writable without
 *       the sticky bit), or another user could swap the directory after it was checked;</li>
 *   <li>an entry owned by another uid (a directory, a file or a link) is {@link NotOursException}: the caller may
 *       fall back to a private directory;</li>
 *   <li>a symbolic link of this user is refused: Forklift never follows one;</li>
 *   <li>anything but a directory is refused;</li>
 *   <li>the mode is made {@code 0700}, and the entry checked again to be the same directory.</li>
 * </ol>
 * Owners are compared by numeric uid ({@link FileIdentity}). Package-private helper of
 * {@link SharedMemoryDirectory}; file-system calls only; thread-safe.
 */
final class DirectoryChecks {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /**
     * Made at the first fallback directory only: a {@code SecureRandom} starts the security providers (15-50 ms), which
     * every process paid at its first use of the shared-memory directory, such as a command line before it launches
     * its children (docs/benchmarks.md, "Whole commands: run without picocli's model").
     */
    private static final class Random {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    private DirectoryChecks() {
    }

    /** The directory exists but belongs to someone else, or its base lets others replace it. */
    static final class NotOursException extends ForkliftException {
        private static final long serialVersionUID = 1L;

        NotOursException(final String message) {
            super(message);
        }
    }

    /**
     * @param base a directory (made if missing), possibly reached through symbolic links the user chose.
     * @return its real path: links in the base are resolved once, here.
     * @throws ForkliftException if it cannot be made or resolved.
     */
    static Path realBase(final Path base) {
        try {
            Files.createDirectories(base.toAbsolutePath());
            return base.toRealPath();
        } catch (final IOException ex) {
            throw new ForkliftException("cannot prepare the shared-memory base directory " + base + ": " + ex, ex);
        }
    }

    /**
     * Makes the directory if it is missing, then checks it by the rules of the class comment.
     *
     * @param dir an absolute path whose parent is a real path ({@link #realBase}).
     * @return the same path, now a {@code 0700} directory of this user.
     * @throws NotOursException if it, or its base, is not safely this user's.
     * @throws ForkliftException if it is a symbolic link or not a directory, or cannot be made.
     */
    static Path prepare(final Path dir) {
        try {
            checkBase(dir.getParent());
            FileIdentity.Entry entry = describeOrNull(dir);
            if (entry == null) {
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } catch (final FileAlreadyExistsException raced) {
                    // Another process made it first; checked below like any existing entry.
                }
                entry = FileIdentity.describe(dir);
            }
            checkEntry(dir, entry);
            if (entry.permissions() != 0700) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY);
                final FileIdentity.Entry again = FileIdentity.describe(dir);
                checkEntry(dir, again);
                if (again.inode() != entry.inode() || again.device() != entry.device() || again.permissions() != 0700) {
                    throw new ForkliftException("shared-memory directory " + dir + " changed while its mode was set;"
                        + " refusing to use it");
                }
            }
            return dir;
        } catch (final IOException | UnsupportedOperationException ex) {
            throw new ForkliftException("cannot prepare shared-memory directory " + dir + ": " + ex, ex);
        }
    }

    /**
     * A private directory of this user, for when the usual one is held by another: {@code $XDG_RUNTIME_DIR/forklift}
     * when that runtime directory is this user's and owner-only, else a fresh {@code 0700} directory with a random
     * suffix ({@code forklift-<user>.<6 random characters>}) in the base, or in {@code java.io.tmpdir} when the base is unsafe.
     *
     * @param realBase the real path of the base the usual directory is in.
     * @param dirName  the usual directory's name.
     * @return the private directory, checked by the rules of the class comment.
     * @throws ForkliftException if no private directory can be made.
     */
    static Fallback privateFallback(final Path realBase, final String dirName) {
        final String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()) {
            try {
                final Path runtimeDir = Path.of(runtime).toRealPath();
                final FileIdentity.Entry entry = FileIdentity.describe(runtimeDir);
                if (entry.isDirectory() && entry.ownedByCurrentUser() && (entry.permissions() & 0077) == 0) {
                    return new Fallback(prepare(runtimeDir.resolve("forklift")), false);
                }
            } catch (final IOException | RuntimeException ignored) {
                // Not usable: a temporary directory below.
            }
        }
        ForkliftException last = null;
        for (final Path base : new Path[] {realBase, Path.of(System.getProperty("java.io.tmpdir"))}) {
            try {
                final Path realTemp = realBase(base);
                checkBase(realTemp);
                return new Fallback(prepare(makeUniqueDirectory(realTemp, dirName)), true);
            } catch (final ForkliftException ex) {
                last = ex;
            } catch (final IOException ex) {
                last = new ForkliftException("cannot make a private shared-memory directory in " + base + ": " + ex,
                    ex);
            }
        }
        throw last;
    }

    /**
     * A directory used instead of the usual one.
     *
     * @param path      where it is.
     * @param temporary true if it was made for this process alone (deleted at exit when empty).
     */
    record Fallback(Path path, boolean temporary) {
    }

    /**
     * Makes a fresh {@code 0700} directory {@code <dirName>.<6 random letters and digits>}: short, because the
     * control socket's path in it must fit the 108 bytes of a Unix socket address.
     */
    private static Path makeUniqueDirectory(final Path base, final String dirName) throws IOException {
        for (int attempt = 0; ; attempt++) {
            final StringBuilder suffix = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                suffix.append(Character.forDigit(Random.RANDOM.nextInt(36), 36));
            }
            try {
                return Files.createDirectory(base.resolve(dirName + '.' + suffix),
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (final FileAlreadyExistsException taken) {
                if (attempt == 100) {
                    throw taken;
                }
            }
        }
    }

    private static void checkBase(final Path base) throws IOException {
        final FileIdentity.Entry entry = FileIdentity.describe(base);
        if (entry.othersMayReplaceEntries()) {
            throw new NotOursException("the shared-memory base " + base + " lets other users replace its entries"
                + " (mode " + Integer.toOctalString(entry.permissions()) + " without the sticky bit)");
        }
    }

    private static void checkEntry(final Path dir, final FileIdentity.Entry entry) throws IOException {
        if (!entry.ownedByCurrentUser()) {
            throw new NotOursException("shared-memory directory " + dir + " is held by another user (uid "
                + entry.uid() + ", this process runs as uid " + FileIdentity.currentUid().orElse(-1) + ")");
        }
        if (entry.isSymbolicLink()) {
            throw new ForkliftException("shared-memory directory " + dir + " is a symbolic link (to "
                + Files.readSymbolicLink(dir) + "); Forklift never follows one: remove the link, or point -D"
                + SharedMemoryDirectory.BASE_DIR_PROP_NAME + " at a real directory");
        }
        if (!entry.isDirectory()) {
            throw new ForkliftException("shared-memory directory " + dir + " exists but is not a directory (mode "
                + Integer.toOctalString(entry.mode()) + "); refusing to use it");
        }
    }

    private static FileIdentity.Entry describeOrNull(final Path dir) throws IOException {
        try {
            return FileIdentity.describe(dir);
        } catch (final NoSuchFileException ex) {
            return null;
        }
    }
}
