package dev.forklift.sync.internal;

import dev.forklift.ForkliftException;
import dev.forklift.shm.MappedFile;
import dev.forklift.shm.PidNamespace;
import dev.forklift.shm.SharedMemoryDirectory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static dev.forklift.sync.internal.StateFileDescriptor.*;

/**
 * One shared-state file ({@link StateFileDescriptor}) mapped into this process, with atomic access to its cells:
 * what the public shared values, arrays and segments are built on. Created by one process (which deletes the file
 * when it closes it, or at its exit; the next Forklift process reclaims it when its owner died), attached by any
 * other of the same user: from a reference passed as an argument, or by name.
 *
 * <p>Thread-safe, also across processes. Nothing here blocks but the file I/O of creating and opening.
 * Internal; not API.
 */
public final class StateFile implements AutoCloseable {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final MappedFile file;
    private final ByteBuffer memory;
    private final StateType type;
    private final String name;
    private final int count;

    private StateFile(final MappedFile file, final StateType type, final String name, final int count) {
        this(file, file.newByteBufferView(), type, name, count);
    }

    private StateFile(final MappedFile file, final ByteBuffer memory, final StateType type, final String name,
        final int count) {
        this.file = file;
        this.memory = memory.order(ByteOrder.nativeOrder());
        this.type = type;
        this.name = name;
        this.count = count;
    }

    /**
     * Creates the file with every element zero, owned by this process.
     *
     * @param type  what it holds.
     * @param name  the name to open it by: 1 to 48 letters, digits, '-' or '_'.
     * @param count elements; at least 1.
     * @return the file, owned by this process.
     * @throws IllegalArgumentException if the name or the count is out of range, or a live object of the same kind
     *                                  already has the name.
     * @throws ForkliftException        if the file cannot be made.
     */
    public static StateFile create(final StateType type, final String name, final long count) {
        SharedMemoryDirectory.requireOpenableName(name);
        final long maxCount = (MappedFile.MAX_LENGTH_BYTES - PAYLOAD_OFFSET) / type.elementBytes();
        if (count < 1 || count > maxCount) {
            throw new IllegalArgumentException("a shared " + type.label() + " needs 1.." + maxCount + " elements: "
                + "count=" + count);
        }
        final SharedMemoryDirectory directory = SharedMemoryDirectory.current();
        if (directory.liveFileNamed(type.kind(), name).isPresent()) {
            throw new IllegalArgumentException("a live shared " + type.kind() + " is already named '" + name
                + "' (open it with open(name), or pick another name): name=" + name);
        }
        final MappedFile file = MappedFile.create(directory, type.kind(), name, fileLength(type, count));
        final StateFile state = new StateFile(file, type, name, (int) count);
        state.putLong(MAGIC_OFFSET, MAGIC);
        INTS.set(state.memory, TYPE_OFFSET, type.code());
        state.putLong(COUNT_OFFSET, count);
        state.putLong(OWNER_PID_OFFSET, ProcessHandle.current().pid());
        state.putLong(CREATED_MS_OFFSET, System.currentTimeMillis());
        state.putLong(PID_NAMESPACE_OFFSET, PidNamespace.current());
        INTS.setRelease(state.memory, VERSION_OFFSET, LAYOUT_VERSION);
        return state;
    }

    /**
     * A state file in this process's own memory, not shared and not listed: for concurrency tests of the protocols
     * built on it.
     *
     * @param type  what it holds.
     * @param name  a name for messages.
     * @param count elements.
     * @return the file, with a header as {@link #create} writes it.
     */
    public static StateFile inMemory(final StateType type, final String name, final int count) {
        final StateFile state = new StateFile(null, ByteBuffer.allocateDirect((int) fileLength(type, count)), type,
            name, count);
        state.putLong(MAGIC_OFFSET, MAGIC);
        INTS.set(state.memory, TYPE_OFFSET, type.code());
        state.putLong(COUNT_OFFSET, count);
        state.putLong(OWNER_PID_OFFSET, ProcessHandle.current().pid());
        INTS.setRelease(state.memory, VERSION_OFFSET, LAYOUT_VERSION);
        return state;
    }

    /**
     * Opens the live object of a type that a process of this user created under a name.
     *
     * @param type what it must hold.
     * @param name the name it was created with.
     * @return the file, not owned by this process.
     * @throws IllegalArgumentException if the name is not a name to open by.
     * @throws ForkliftException        if no live object of that kind has the name, or it holds another type.
     * @throws IllegalStateException    if two live objects of that kind have the name.
     */
    public static StateFile open(final StateType type, final String name) {
        final Path path = SharedMemoryDirectory.current().liveFileNamed(type.kind(), name)
            .orElseThrow(() -> new ForkliftException("no live shared " + type.kind() + " is named '" + name
                + "' in " + SharedMemoryDirectory.current() + " (was it closed, or made by another user?)"));
        return attach(path, type, name);
    }

    /**
     * Maps a file made by another process (or this one) and checks its header.
     *
     * @param path the file.
     * @param type what it must hold.
     * @param name its name, for messages.
     * @return the file, not owned by this process.
     * @throws ForkliftException if it is missing, not a shared-state file of this layout, or of another type.
     */
    public static StateFile attach(final Path path, final StateType type, final String name) {
        final MappedFile file = MappedFile.open(path);
        if (file.lengthBytes() < PAYLOAD_OFFSET || file.buffer().getLong(MAGIC_OFFSET) != MAGIC) {
            throw new ForkliftException("not a Forklift shared-state file: " + path);
        }
        final int version = file.buffer().getIntAcquire(VERSION_OFFSET);
        if (version != LAYOUT_VERSION) {
            throw new ForkliftException("shared-state file " + path + " has layout version " + version + ", expected "
                + LAYOUT_VERSION + " (0 means not yet initialised)");
        }
        final StateType actual = StateType.ofCode(file.buffer().getInt(TYPE_OFFSET));
        if (actual != type) {
            throw new ForkliftException("shared " + type.kind() + " '" + name + "' holds "
                + (actual == null ? "an unknown type" : actual.label()) + ", not " + type.label() + ": " + path);
        }
        final long count = file.buffer().getLong(COUNT_OFFSET);
        if (count < 1 || fileLength(type, count) != file.lengthBytes()) {
            throw new ForkliftException("shared-state file " + path + " has length " + file.lengthBytes()
                + ", its header says " + count + " elements");
        }
        return new StateFile(file, type, name, (int) count);
    }

    /** @return what the file holds. */
    public StateType type() {
        return type;
    }

    /** @return the name it was created with. */
    public String name() {
        return name;
    }

    /** @return the number of elements. */
    public int count() {
        return count;
    }

    /** @return the path of the file. */
    public Path path() {
        return file == null ? null : file.path();
    }

    /** @return true in the process that created it. */
    public boolean isOwner() {
        return file == null || file.isOwner();
    }

    /** @return the pid of the process that created it. */
    public long ownerPid() {
        return getLong(OWNER_PID_OFFSET);
    }

    /** @return a new independent view of the payload: position 0, capacity the payload's length, big-endian. */
    public ByteBuffer payloadView() {
        return memory.duplicate().order(ByteOrder.BIG_ENDIAN).clear().position(PAYLOAD_OFFSET).slice();
    }

    /**
     * @param index an element index.
     * @return its offset in the file.
     * @throws IndexOutOfBoundsException naming the index and the count when out of range.
     */
    public int offsetOf(final int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for a shared " + type.label()
                + " '" + name + "' of length " + count);
        }
        return elementOffset(type, index);
    }

    /**
     * Checks a range of elements.
     *
     * @param from   first element.
     * @param length number of elements.
     * @throws IndexOutOfBoundsException naming the range and the count when out of range.
     */
    public void checkRange(final int from, final int length) {
        if (from < 0 || length < 0 || from > count - length) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + ((long) from + length) + ") out of bounds"
                + " for a shared " + type.label() + " '" + name + "' of length " + count);
        }
    }

    public long getLong(final int offset) {
        return (long) LONGS.getVolatile(memory, offset);
    }

    public long getLongOpaque(final int offset) {
        return (long) LONGS.getOpaque(memory, offset);
    }

    public void putLong(final int offset, final long value) {
        LONGS.setVolatile(memory, offset, value);
    }

    public void putLongOpaque(final int offset, final long value) {
        LONGS.setOpaque(memory, offset, value);
    }

    public long getAndAddLong(final int offset, final long delta) {
        return (long) LONGS.getAndAdd(memory, offset, delta);
    }

    public long getAndSetLong(final int offset, final long value) {
        return (long) LONGS.getAndSet(memory, offset, value);
    }

    public boolean compareAndSetLong(final int offset, final long expected, final long value) {
        return LONGS.compareAndSet(memory, offset, expected, value);
    }

    public int getInt(final int offset) {
        return (int) INTS.getVolatile(memory, offset);
    }

    public int getIntOpaque(final int offset) {
        return (int) INTS.getOpaque(memory, offset);
    }

    public void putInt(final int offset, final int value) {
        INTS.setVolatile(memory, offset, value);
    }

    public void putIntOpaque(final int offset, final int value) {
        INTS.setOpaque(memory, offset, value);
    }

    public int getAndAddInt(final int offset, final int delta) {
        return (int) INTS.getAndAdd(memory, offset, delta);
    }

    public int getAndSetInt(final int offset, final int value) {
        return (int) INTS.getAndSet(memory, offset, value);
    }

    public boolean compareAndSetInt(final int offset, final int expected, final int value) {
        return INTS.compareAndSet(memory, offset, expected, value);
    }

    /** Full fence: orders every access before it against every access after it, across processes too. */
    public static void fullFence() {
        VarHandle.fullFence();
    }

    /** Deletes the file if this process created it; other processes keep their mapping. Idempotent. */
    @Override
    public void close() {
        if (file != null) {
            file.close();
        }
    }

    /** @return true once closed in this process. */
    public boolean isClosed() {
        return file != null && file.isClosed();
    }
}
