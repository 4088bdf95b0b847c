package dev.forklift.shm;

import dev.forklift.ForkliftException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-user directory that holds Forklift's shared-memory files (queues, status boards, control sockets).
 *
 * <p>Where it lives: {@code <base>/forklift-<user>}, where {@code <base>} is the system property
 * {@value #BASE_DIR_PROP_NAME} when set, else {@code /dev/shm} (a tmpfs, so the files never touch a disk)
 * when it exists, else {@code java.io.tmpdir}. The directory is created with mode {@code 0700}; a directory
 * of that name owned by another user is refused, never used.
 *
 * <p>File names carry their owner: {@code <kind>-<pid>-<startMs>-<serial>-<name>.<ext>}. Files are created
 * with mode {@code 0600} atomically (no window in which they are readable by others), deleted by their owner
 * on close or at its normal exit, and deleted by the next Forklift process that opens the directory when their
 * owner process is dead ({@link #reclaimStale()}).
 *
 * <p>Thread-safe; any process may use it. Nothing here blocks.
 */
public final class SharedMemoryDirectory {
    /** System property naming the base directory under which the per-user directory is made. */
    public static final String BASE_DIR_PROP_NAME = "forklift.shm.dir";

    private static final Set<PosixFilePermission> DIR_PERMISSIONS = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    private static final long START_TIME_TOLERANCE_MS = 2_000;
    private static final AtomicLong SERIAL = new AtomicLong();
    private static final Set<Path> OWNED_FILES = ConcurrentHashMap.newKeySet();
    private static final ConcurrentHashMap<Path, SharedMemoryDirectory> OPENED = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SharedMemoryDirectory::deleteOwnedFiles,
            "forklift-shm-cleanup"));
    }

    private final Path path;

    private SharedMemoryDirectory(final Path path) {
        this.path = path;
    }

    /**
     * The directory for the current user under the default base (see the class comment). The first call in a
     * process creates the directory if needed and reclaims stale files.
     *
     * @return the directory, ready for use.
     * @throws ForkliftException if the directory cannot be created or is not owned by the current user.
     */
    public static SharedMemoryDirectory current() {
        return of(defaultBase());
    }

    /**
     * The directory for the current user under the given base.
     *
     * @param base the folder under which {@code forklift-<user>} is made.
     * @return the directory, ready for use; stale files were reclaimed on first use in this process.
     * @throws ForkliftException if the directory cannot be created or is not owned by the current user.
     */
    public static SharedMemoryDirectory of(final Path base) {
        final Path dir = base.toAbsolutePath().normalize().resolve("forklift-" + sanitize(userName()));
        return OPENED.computeIfAbsent(dir, d -> {
            final SharedMemoryDirectory directory = new SharedMemoryDirectory(prepare(d));
            directory.reclaimStale();
            return directory;
        });
    }

    /** @return the base under which the per-user directory is made by default. */
    public static Path defaultBase() {
        final String configured = System.getProperty(BASE_DIR_PROP_NAME);
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        final Path devShm = Paths.get("/dev/shm");
        if (Files.isDirectory(devShm) && Files.isWritable(devShm)) {
            return devShm;
        }
        return Paths.get(System.getProperty("java.io.tmpdir"));
    }

    /** @return the absolute path of this directory. */
    public Path path() {
        return path;
    }

    /**
     * Creates a new file owned by this process, mode {@code 0600} from the moment it exists.
     *
     * @param kind      short prefix saying what the file holds, such as {@code queue}; letters only.
     * @param name      a human-readable name; characters other than letters, digits, '-' and '_' become '_'.
     * @param extension the file extension without the dot.
     * @return the path of the new, empty file. It is deleted at this process's normal exit if still there.
     * @throws ForkliftException if the file cannot be created.
     */
    public Path createOwnedFile(final String kind, final String name, final String extension) {
        final Path file = path.resolve(ownedFileName(kind, name, extension));
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS));
        } catch (final IOException ex) {
            throw new ForkliftException("cannot create shared-memory file " + file + ": " + ex, ex);
        }
        OWNED_FILES.add(file);
        return file;
    }

    /**
     * A fresh path for a file (or socket) owned by this process, not yet created.
     *
     * @param kind      short prefix saying what the file holds; letters only.
     * @param name      a human-readable name.
     * @param extension the file extension without the dot.
     * @return the path; the caller creates it. It is deleted at this process's normal exit if it exists then.
     */
    public Path reserveOwnedPath(final String kind, final String name, final String extension) {
        final Path file = path.resolve(ownedFileName(kind, name, extension));
        OWNED_FILES.add(file);
        return file;
    }

    /**
     * Deletes a file this process owns, if it is still there. Idempotent.
     *
     * @param file a path returned by {@link #createOwnedFile} or {@link #reserveOwnedPath}.
     */
    public static void deleteOwned(final Path file) {
        OWNED_FILES.remove(file);
        try {
            Files.deleteIfExists(file);
        } catch (final IOException ignored) {
            // Reclaimed by the next start when it cannot be deleted now.
        }
    }

    /**
     * Deletes every file in this directory whose owner process is dead (or whose pid now belongs to a process
     * started at another time). Called on first use in each process; safe to call again at any time.
     *
     * @return the number of files deleted.
     */
    public int reclaimStale() {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
            for (final Path file : files) {
                final Optional<FileOwner> owner = FileOwner.parse(file.getFileName().toString());
                if (owner.isPresent() && !owner.get().isAlive() && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        } catch (final IOException ignored) {
            // A directory we cannot list holds nothing we can reclaim.
        }
        return deleted;
    }

    /**
     * Lists the files in this directory whose owner process is alive.
     *
     * @param kind the prefix of the files wanted, such as {@code status}.
     * @return the matching paths, in no particular order.
     */
    public List<Path> liveFiles(final String kind) {
        final List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path, kind + "-*")) {
            for (final Path file : files) {
                final Optional<FileOwner> owner = FileOwner.parse(file.getFileName().toString());
                if (owner.isPresent() && owner.get().isAlive()) {
                    result.add(file);
                }
            }
        } catch (final IOException ignored) {
            // Nothing listed.
        }
        return result;
    }

    /**
     * The pid of the process that owns a file of this directory, read from its name.
     *
     * @param file a path in this directory.
     * @return the owner pid, or empty when the name does not follow the naming scheme.
     */
    public static Optional<Long> ownerPid(final Path file) {
        return FileOwner.parse(file.getFileName().toString()).map(FileOwner::pid);
    }

    @Override
    public String toString() {
        return path.toString();
    }

    private static String ownedFileName(final String kind, final String name, final String extension) {
        if (!kind.matches("[a-z]+")) {
            throw new IllegalArgumentException("kind must be lower-case letters only: kind=" + kind);
        }
        final ProcessHandle self = ProcessHandle.current();
        return kind + '-' + self.pid() + '-' + FileOwner.startMs(self) + '-' + SERIAL.incrementAndGet() + '-'
            + sanitize(name) + '.' + extension;
    }

    private static Path prepare(final Path dir) {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_PERMISSIONS));
                } catch (final java.nio.file.FileAlreadyExistsException raced) {
                    // Another process made it first; checked below like any existing directory.
                }
            }
            final String owner = Files.getOwner(dir).getName();
            if (!owner.equals(userName())) {
                throw new ForkliftException("shared-memory directory " + dir + " is owned by user '" + owner
                    + "', not by the current user '" + userName() + "'; refusing to use it");
            }
            if (!Files.getPosixFilePermissions(dir).equals(DIR_PERMISSIONS)) {
                Files.setPosixFilePermissions(dir, DIR_PERMISSIONS);
            }
            return dir;
        } catch (final IOException ex) {
            throw new ForkliftException("cannot prepare shared-memory directory " + dir + ": " + ex, ex);
        }
    }

    private static void deleteOwnedFiles() {
        for (final Path file : OWNED_FILES) {
            try {
                Files.deleteIfExists(file);
            } catch (final IOException ignored) {
                // Reclaimed at the next start.
            }
        }
    }

    private static String userName() {
        return System.getProperty("user.name", "user");
    }

    private static String sanitize(final String name) {
        final String cleaned = name.replaceAll("[^A-Za-z0-9_-]", "_");
        return cleaned.length() > 48 ? cleaned.substring(0, 48) : cleaned;
    }

    /** Owner of a file, as encoded in its name: {@code kind-pid-startMs-...}. */
    private record FileOwner(long pid, long startMs) {
        static Optional<FileOwner> parse(final String fileName) {
            final String[] parts = fileName.split("-", 5);
            if (parts.length < 4) {
                return Optional.empty();
            }
            try {
                return Optional.of(new FileOwner(Long.parseLong(parts[1]), Long.parseLong(parts[2])));
            } catch (final NumberFormatException ex) {
                return Optional.empty();
            }
        }

        static long startMs(final ProcessHandle handle) {
            return handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        }

        boolean isAlive() {
            final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty() || !ProcessLiveness.isAlive(pid)) {
                return false;
            }
            final long actualStartMs = startMs(handle.get());
            return actualStartMs == 0 || startMs == 0 || Math.abs(actualStartMs - startMs) <= START_TIME_TOLERANCE_MS;
        }
    }
}
