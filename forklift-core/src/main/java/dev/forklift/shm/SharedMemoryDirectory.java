package dev.forklift.shm;

import dev.forklift.ForkliftException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * The per-user directory that holds Forklift's shared-memory files (queues, status boards, control sockets).
 *
 * <p>Where it lives: {@code <base>/forklift-<user>}, where {@code <base>} is the system property
 * {@value #BASE_DIR_PROP_NAME} when set, else {@code /dev/shm} (a tmpfs, so the files never touch a disk)
 * when it exists, else {@code java.io.tmpdir}. Links in the base are resolved once; the directory itself is
 * examined without following links and pinned: its real path is what this process and its children use from then
 * on (a child gets its parent's pinned path in the system property {@value #PINNED_DIR_PROP_NAME}).
 *
 * <p>Safety ({@link DirectoryChecks}): the directory is created with mode {@code 0700}; a symbolic link in its
 * place is refused with an error and never followed; ownership is checked by numeric uid. When the directory is
 * held by another user (or its base lets others replace entries), {@link #current()} falls back to a private
 * directory of this user ({@code $XDG_RUNTIME_DIR/forklift}, else a fresh {@code 0700} directory with a random
 * suffix) and says which on standard error; {@link #of(Path)} refuses instead.
 *
 * <p>File names carry their owner ({@link OwnedFileName}):
 * {@code <kind>-ns<pidNamespace>-<pid>-<startMs>-<serial>-<name>.<ext>}. Files are created with mode {@code 0600}
 * atomically (no window in which they are readable by others), deleted by their owner on close or at its normal
 * exit, and deleted by the next Forklift process that opens the directory when their owner process is known dead
 * ({@link #reclaimStale()}): only regular files and sockets of this uid, named exactly by that form, whose owner
 * is of this process's pid namespace ({@link PidNamespace}) and dead. A file of another namespace is never
 * reclaimed: its pid means nothing here.
 *
 * <p>Thread-safe; any process may use it. Nothing here blocks.
 */
public final class SharedMemoryDirectory {
    /** System property naming the base directory under which the per-user directory is made. */
    public static final String BASE_DIR_PROP_NAME = "forklift.shm.dir";
    /**
     * System property a parent sets on its children: the exact directory it pinned, so that parent and children
     * use the same one. Internal; a user sets {@value #BASE_DIR_PROP_NAME} instead.
     */
    public static final String PINNED_DIR_PROP_NAME = "forklift.shm.pinnedDir";

    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    private static final AtomicLong SERIAL = new AtomicLong();
    private static final Set<Path> OWNED_FILES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> TEMPORARY_DIRS = ConcurrentHashMap.newKeySet();
    private static final ConcurrentHashMap<Path, SharedMemoryDirectory> OPENED = new ConcurrentHashMap<>();
    private static volatile SharedMemoryDirectory current;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SharedMemoryDirectory::deleteOwnedFiles,
            "forklift-shm-cleanup"));
    }

    private static final int MAX_PARSED_NAMES = 4096;
    private final Path path;
    private final Map<String, Optional<OwnedFileName>> parsedNames = new ConcurrentHashMap<>();

    private SharedMemoryDirectory(final Path path) {
        this.path = path;
    }

    /**
     * The directory of this process: the one its parent pinned when it is a Forklift child, else the one for the
     * current user under the default base (see the class comment), or a private fallback when another user holds
     * that. The first call in a process prepares the directory and reclaims stale files; later calls return the
     * same directory.
     *
     * @return the directory, ready for use.
     * @throws ForkliftException if the directory is a symbolic link, is not a directory, or no directory of this
     *                           user can be made.
     */
    public static SharedMemoryDirectory current() {
        SharedMemoryDirectory directory = current;
        if (directory == null) {
            synchronized (SharedMemoryDirectory.class) {
                directory = current;
                if (directory == null) {
                    directory = openCurrent();
                    current = directory;
                }
            }
        }
        return directory;
    }

    /**
     * The directory for the current user under the given base, with no fallback.
     *
     * @param base the folder under which {@code forklift-<user>} is made.
     * @return the directory, ready for use; stale files were reclaimed on first use in this process.
     * @throws ForkliftException if the directory is a symbolic link, is not a directory, is owned by another user,
     *                           its base lets other users replace it, or it cannot be made.
     */
    public static SharedMemoryDirectory of(final Path base) {
        final Path dir = DirectoryChecks.realBase(base).resolve(userDirectoryName());
        final SharedMemoryDirectory known = OPENED.get(dir);
        return known != null ? known : register(DirectoryChecks.prepare(dir));
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

    /** @return the absolute, real path of this directory. */
    public Path path() {
        return path;
    }

    /**
     * Creates a new file owned by this process, mode {@code 0600} from the moment it exists.
     *
     * @param kind      short prefix saying what the file holds, such as {@code queue}; 1 to 16 lower-case letters.
     * @param name      a human-readable name; characters other than letters, digits, '-' and '_' become '_'.
     * @param extension the file extension without the dot; 1 to 16 lower-case letters.
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
     * @param kind      short prefix saying what the file holds; 1 to 16 lower-case letters.
     * @param name      a human-readable name.
     * @param extension the file extension without the dot; 1 to 16 lower-case letters.
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
     * Deletes every file of this directory that Forklift made and whose owner process is known dead: a regular
     * file or socket of this uid (never a link, a directory or another user's file), named exactly in Forklift's
     * form, whose owner is of this pid namespace and dead (or whose pid now belongs to a process started at
     * another time). Called on first use in each process; safe to call again at any time.
     *
     * @return the number of files deleted.
     */
    public int reclaimStale() {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
            for (final Path file : files) {
                final Optional<OwnedFileName> owner = ownName(file);
                if (owner.isPresent() && owner.get().ownerKnownDead() && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        } catch (final IOException ignored) {
            // A directory we cannot list holds nothing we can reclaim.
        }
        return deleted;
    }

    /**
     * Lists the files of this directory that Forklift made, of one kind, whose owner is alive. Files whose owner is
     * of another pid namespace are left out: their pids cannot be judged, or used, here.
     *
     * @param kind the prefix of the files wanted, such as {@code status}.
     * @return the matching paths, in no particular order.
     */
    public List<Path> liveFiles(final String kind) {
        return liveFiles(kind, owner -> true);
    }

    /**
     * Lists the live files of one kind whose owner pid (read from the name) passes a filter: as {@link
     * #liveFiles(String)}, but files of other owners are left out before any system call is made for them (a
     * job's own dashboard reads only its own boards). Each owner's liveness is asked once per call.
     *
     * @param kind      the prefix of the files wanted, such as {@code status}.
     * @param ownerPids which owner pids to keep (pids of this namespace).
     * @return the matching paths, in no particular order.
     */
    public List<Path> liveFiles(final String kind, final LongPredicate ownerPids) {
        final List<Path> result = new ArrayList<>();
        final Map<OwnedFileName, Boolean> deadByOwner = new HashMap<>();
        final String prefix = kind + "-";
        // A plain prefix test: a glob would compile a pattern on every listing.
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path,
            file -> file.getFileName().toString().startsWith(prefix))) {
            for (final Path file : files) {
                final Optional<OwnedFileName> parsed = parsedName(file.getFileName().toString());
                if (parsed.isEmpty() || !parsed.get().kind().equals(kind) || !ownerPids.test(parsed.get().pid())
                    || !parsed.get().ownerInThisNamespace()) {
                    continue;
                }
                final Optional<OwnedFileName> owner = madeByUs(file, parsed);
                if (owner.isPresent() && !deadByOwner.computeIfAbsent(owner.get().owner(),
                    OwnedFileName::ownerKnownDead)) {
                    result.add(file);
                }
            }
        } catch (final IOException ignored) {
            // Nothing listed.
        }
        return result;
    }

    /**
     * Finds the live file of one kind that a process created under a given readable name: how an unrelated JVM of
     * the same user opens a named queue, lock or map. Callable from any process; lists the directory once and
     * blocks on nothing else.
     *
     * @param kind the prefix of the file wanted, such as {@code queue}.
     * @param name the exact readable name given at creation (see {@link #requireOpenableName}).
     * @return the path, or empty when no live file of that kind has that name.
     * @throws IllegalArgumentException if the name is not openable by name.
     * @throws IllegalStateException    if two live files of that kind carry the name (each names its owner pid).
     */
    public Optional<Path> liveFileNamed(final String kind, final String name) {
        requireOpenableName(name);
        Path found = null;
        for (final Path file : liveFiles(kind)) {
            final Optional<OwnedFileName> parts = ownName(file);
            if (parts.isPresent() && parts.get().name().equals(name)) {
                if (found != null) {
                    throw new IllegalStateException("two live " + kind + " files are named '" + name + "': " + found
                        + " and " + file + "; close one, or give objects opened by name distinct names");
                }
                found = file;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * Checks that a name can be used to open an object by name: 1 to 48 letters, digits, '-' and '_' (the
     * readable part of a file name is kept exactly only then).
     *
     * @param name the name.
     * @return the name.
     * @throws IllegalArgumentException naming the bad value otherwise.
     */
    public static String requireOpenableName(final String name) {
        if (name == null || name.isEmpty() || name.length() > 48 || !OwnedFileName.sanitize(name).equals(name)) {
            throw new IllegalArgumentException("a name to open by must be 1 to 48 letters, digits, '-' or '_': name="
                + name);
        }
        return name;
    }

    /**
     * The pid of the process that owns a file of this directory, read from its name.
     *
     * @param file a path in this directory.
     * @return the owner pid (in the owner's pid namespace), or empty when the name does not follow the naming
     *     scheme.
     */
    public static Optional<Long> ownerPid(final Path file) {
        return OwnedFileName.parse(file.getFileName().toString()).map(OwnedFileName::pid);
    }

    @Override
    public String toString() {
        return path.toString();
    }

    private static SharedMemoryDirectory openCurrent() {
        final String pinned = System.getProperty(PINNED_DIR_PROP_NAME);
        if (pinned != null && !pinned.isBlank()) {
            final Path dir = Path.of(pinned);
            if (!dir.isAbsolute()) {
                throw new ForkliftException(PINNED_DIR_PROP_NAME + " must be an absolute path: " + PINNED_DIR_PROP_NAME
                    + "=" + pinned);
            }
            return register(DirectoryChecks.prepare(DirectoryChecks.realBase(dir.getParent())
                .resolve(dir.getFileName())));
        }
        final Path realBase = DirectoryChecks.realBase(defaultBase());
        final Path dir = realBase.resolve(userDirectoryName());
        try {
            return register(DirectoryChecks.prepare(dir));
        } catch (final DirectoryChecks.NotOursException held) {
            final DirectoryChecks.Fallback fallback = DirectoryChecks.privateFallback(realBase, userDirectoryName());
            if (fallback.temporary()) {
                TEMPORARY_DIRS.add(fallback.path());
            }
            System.err.println("forklift: " + held.getMessage() + "; using the private directory " + fallback.path()
                + " instead" + (fallback.temporary() ? " (made for this process and its children)" : ""));
            return register(fallback.path());
        }
    }

    private static SharedMemoryDirectory register(final Path dir) {
        return OPENED.computeIfAbsent(dir, d -> {
            final SharedMemoryDirectory directory = new SharedMemoryDirectory(d);
            directory.reclaimStale();
            return directory;
        });
    }

    /** @return the parsed name of a file this user's Forklift made (a regular file or socket of this uid). */
    private static Optional<OwnedFileName> ownName(final Path file) {
        return madeByUs(file, OwnedFileName.parse(file.getFileName().toString()));
    }

    /**
     * @return the parts of a file name, remembered: a reader that lists the directory every second (a dashboard)
     * parses each name once. Names are never reused (they carry the owner's start time and a serial); the memory
     * is bounded by forgetting everything past {@value #MAX_PARSED_NAMES} names.
     */
    private Optional<OwnedFileName> parsedName(final String fileName) {
        final Optional<OwnedFileName> known = parsedNames.get(fileName);
        if (known != null) {
            return known;
        }
        if (parsedNames.size() >= MAX_PARSED_NAMES) {
            parsedNames.clear();
        }
        final Optional<OwnedFileName> parsed = OwnedFileName.parse(fileName);
        parsedNames.put(fileName, parsed);
        return parsed;
    }

    /** @return the parsed name when the file is a regular file or socket of this uid, else empty. */
    private static Optional<OwnedFileName> madeByUs(final Path file, final Optional<OwnedFileName> name) {
        if (name.isEmpty()) {
            return name;
        }
        try {
            final FileIdentity.Entry entry = FileIdentity.describe(file);
            final boolean madeByUs = entry.ownedByCurrentUser() && (entry.type() == FileIdentity.TYPE_REGULAR
                || entry.type() == FileIdentity.TYPE_SOCKET);
            return madeByUs ? name : Optional.empty();
        } catch (final IOException | UnsupportedOperationException ex) {
            return Optional.empty();
        }
    }

    private static String ownedFileName(final String kind, final String name, final String extension) {
        return OwnedFileName.forThisProcess(kind, SERIAL.incrementAndGet(), name, extension).format();
    }

    private static String userDirectoryName() {
        return "forklift-" + OwnedFileName.sanitize(System.getProperty("user.name", "user"));
    }

    private static void deleteOwnedFiles() {
        for (final Path file : OWNED_FILES) {
            try {
                Files.deleteIfExists(file);
            } catch (final IOException ignored) {
                // Reclaimed at the next start.
            }
        }
        for (final Path dir : TEMPORARY_DIRS) {
            try {
                Files.deleteIfExists(dir);
            } catch (final IOException ignored) {
                // Not empty (a child still uses it) or already gone.
            }
        }
    }
}
