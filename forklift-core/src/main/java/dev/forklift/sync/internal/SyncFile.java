package dev.forklift.sync.internal;

import dev.forklift.ForkliftException;
import dev.forklift.shm.AtomicMemory;
import dev.forklift.shm.MappedFile;
import dev.forklift.shm.PidNamespace;
import dev.forklift.shm.SharedMemoryDirectory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static dev.forklift.sync.internal.SyncFileLayout.*;

/**
 * The shared-memory file of one robust primitive: its header ({@link SyncFileLayout}), its guard lock and its
 * liveness. Created by one process (which deletes the file on close, as for queues: mode 0600, under the per-user
 * directory, reclaimed when its creator is dead), opened by path (a primitive passed to a child) or by name (an
 * unrelated JVM of the same user). Thread-safe; creating and opening do file I/O, nothing else blocks.
 */
public final class SyncFile implements AutoCloseable {
    private static final AtomicLong ANONYMOUS = new AtomicLong();

    private final MappedFile file;
    private final AtomicMemory memory;
    private final SyncKind kind;
    private final String name;
    private final OwnerLiveness liveness;
    private final RobustLockWord guard;

    private SyncFile(final MappedFile file, final SyncKind kind, final String name) {
        this(file, file.buffer(), kind, name, null);
    }

    private SyncFile(final MappedFile file, final AtomicMemory memory, final SyncKind kind, final String name,
        final OwnerLiveness liveness) {
        this.file = file;
        this.memory = memory;
        this.kind = kind;
        this.name = name;
        this.liveness = liveness != null ? liveness : OwnerLiveness.of(memory);
        this.guard = new RobustLockWord(memory, GUARD_OFFSET, this.liveness);
    }

    /**
     * A primitive's layout in memory that is not shared with other processes, seen by a "process" of the given
     * liveness: for the jcstress tests of the protocols, which play several processes (some dead) over one memory.
     * Not openable by name, not serializable; {@link #close()} does nothing.
     *
     * @param memory   the memory, {@link #lengthFor(int)} bytes at least, initialised by {@link #initialise}.
     * @param kind     the kind.
     * @param liveness this "process"'s owner word and the judgement of others.
     * @return the file's view.
     */
    public static SyncFile inMemory(final AtomicMemory memory, final SyncKind kind, final OwnerLiveness liveness) {
        return new SyncFile(null, memory, kind, "in-memory", liveness);
    }

    /** @return the length of a file whose body has {@code bodyBytes}. */
    public static int lengthFor(final int bodyBytes) {
        return BODY_OFFSET + bodyBytes;
    }

    /** Writes the header of an in-memory primitive (see {@link #inMemory}). */
    public static void initialise(final AtomicMemory memory, final SyncKind kind, final int[] params) {
        memory.putLong(MAGIC_OFFSET, MAGIC);
        memory.putInt(KIND_OFFSET, kind.code());
        memory.putLong(PID_NAMESPACE_OFFSET, PidNamespace.current());
        for (int i = 0; i < params.length; i++) {
            memory.putInt(PARAM1_OFFSET + i * Integer.BYTES, params[i]);
        }
        memory.putIntRelease(VERSION_OFFSET, LAYOUT_VERSION);
    }

    /**
     * Creates the file of a new primitive, its header written and its version published last.
     *
     * @param kind       the kind.
     * @param name       the name to open it by, or null for a fresh name of this process.
     * @param bodyBytes  the length of the kind's body.
     * @param params     up to three parameters of the kind (parties, permits, ...).
     * @param boundName  the name of a bound primitive (a condition's lock), or null.
     * @param initialiser writes the body before the version is published.
     * @return the file, owned by this process.
     * @throws IllegalArgumentException if the name is not openable, or a live primitive of this kind has it.
     */
    public static SyncFile create(final SyncKind kind, final String name, final int bodyBytes, final int[] params,
        final String boundName, final java.util.function.Consumer<AtomicMemory> initialiser) {
        final SharedMemoryDirectory directory = SharedMemoryDirectory.current();
        final String fileName = name != null ? SharedMemoryDirectory.requireOpenableName(name)
            : kind.fileKind().charAt(0) + "-" + ProcessHandle.current().pid() + "-" + ANONYMOUS.incrementAndGet();
        final Optional<Path> existing = directory.liveFileNamed(kind.fileKind(), fileName);
        if (existing.isPresent()) {
            throw new IllegalArgumentException("a live " + kind.displayName() + " is already named '" + fileName
                + "' (" + existing.get().getFileName() + "); open it with open(name), or choose another name");
        }
        final MappedFile file = MappedFile.create(directory, kind.fileKind(), fileName, BODY_OFFSET + (long) bodyBytes);
        try {
            final AtomicMemory memory = file.buffer();
            memory.putLong(MAGIC_OFFSET, MAGIC);
            memory.putInt(KIND_OFFSET, kind.code());
            memory.putLong(CREATOR_PID_OFFSET, ProcessHandle.current().pid());
            memory.putLong(CREATED_MS_OFFSET, System.currentTimeMillis());
            memory.putLong(PID_NAMESPACE_OFFSET, PidNamespace.current());
            for (int i = 0; i < params.length; i++) {
                memory.putInt(PARAM1_OFFSET + i * Integer.BYTES, params[i]);
            }
            if (boundName != null) {
                final byte[] bytes = boundName.getBytes(StandardCharsets.US_ASCII);
                memory.putBytes(BOUND_NAME_OFFSET + 1, bytes);
                memory.putBytes(BOUND_NAME_OFFSET, new byte[] {(byte) bytes.length});
            }
            initialiser.accept(memory);
            memory.putIntRelease(VERSION_OFFSET, LAYOUT_VERSION);
            return new SyncFile(file, kind, fileName);
        } catch (final RuntimeException ex) {
            file.close();
            throw ex;
        }
    }

    /**
     * Opens the live primitive of a kind by its name.
     *
     * @throws IllegalArgumentException if the name is not openable.
     * @throws ForkliftException        if no live primitive of that kind has the name.
     */
    public static SyncFile openByName(final SyncKind kind, final String name) {
        final Path path = SharedMemoryDirectory.current().liveFileNamed(kind.fileKind(), name)
            .orElseThrow(() -> new ForkliftException("no live " + kind.displayName() + " is named '" + name + "' in "
                + SharedMemoryDirectory.current() + " (was it created by a running process of this user?)"));
        return open(path, kind, name);
    }

    /**
     * Opens a primitive's file by path (the serialized form of a primitive).
     *
     * @throws ForkliftException if the file is missing, of another kind or of another layout version.
     */
    public static SyncFile open(final Path path, final SyncKind kind, final String name) {
        final MappedFile file = MappedFile.open(path);
        final AtomicMemory memory = file.buffer();
        if (file.lengthBytes() < BODY_OFFSET || memory.getLong(MAGIC_OFFSET) != MAGIC) {
            throw new ForkliftException("not a Forklift sync file: " + path);
        }
        final int version = memory.getIntAcquire(VERSION_OFFSET);
        if (version != LAYOUT_VERSION) {
            throw new ForkliftException("sync file " + path + " has layout version " + version + ", expected "
                + LAYOUT_VERSION + " (0 means not yet initialised)");
        }
        if (memory.getInt(KIND_OFFSET) != kind.code()) {
            throw new ForkliftException("sync file " + path + " holds a " + SyncKind.ofCode(memory.getInt(KIND_OFFSET))
                + ", not a " + kind.displayName());
        }
        noteOpener(memory);
        return new SyncFile(file, kind, name);
    }

    public AtomicMemory memory() {
        return memory;
    }

    public SyncKind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    /** @return false for the jcstress rig's in-memory primitives, true for every file-backed one. */
    public boolean hasFile() {
        return file != null;
    }

    public Path path() {
        if (file == null) {
            throw new IllegalStateException("an in-memory " + kind.displayName() + " has no file");
        }
        return file.path();
    }

    public OwnerLiveness liveness() {
        return liveness;
    }

    /** @return the lock that guards the body (the lock itself, for a mutex). */
    public RobustLockWord guard() {
        return guard;
    }

    /** @return parameter 1, 2 or 3 of the header. */
    public int param(final int index) {
        return memory.getInt(PARAM1_OFFSET + (index - 1) * Integer.BYTES);
    }

    /** @return the bound name of the header (a condition's lock), or null. */
    public String boundName() {
        return boundName(memory);
    }

    static String boundName(final AtomicMemory memory) {
        final int length = memory.getBytes(BOUND_NAME_OFFSET, 1)[0];
        return length <= 0 ? null : new String(memory.getBytes(BOUND_NAME_OFFSET + 1, length),
            StandardCharsets.US_ASCII);
    }

    /** @return true in the process that created the file. */
    public boolean isCreator() {
        return file == null || file.isOwner();
    }

    /** @return true once closed in this process. */
    public boolean isClosed() {
        return file != null && file.isClosed();
    }

    /**
     * @param what what the caller was about to do, for the message.
     * @throws IllegalStateException if closed in this process.
     */
    public void checkOpen(final String what) {
        if (isClosed()) {
            throw new IllegalStateException("cannot " + what + ": " + kind.displayName() + " '" + name
                + "' was closed in this process");
        }
    }

    /** Deletes the file in its creator (processes that have it open keep using it); drops it elsewhere. */
    @Override
    public void close() {
        if (file != null) {
            file.close();
        }
    }
}
