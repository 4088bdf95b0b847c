package dev.forklift.sync;

import dev.forklift.sync.internal.StateFile;
import dev.forklift.sync.internal.StateType;

import java.nio.ByteBuffer;

/**
 * A named block of shared memory of a fixed size, as raw bytes: Python's {@code shared_memory.SharedMemory}.
 * Any number of processes map the same bytes; what one writes, the others see. Nothing orders or guards the
 * accesses: pair them with a lock, a queue message or a {@link SharedLong} written after the data (a volatile write
 * there publishes the plain writes before it, to a reader that reads it first).
 *
 * <pre>{@code
 * try (SharedSegment frame = SharedSegment.create("frame", 1 << 20)) {
 *     frame.buffer().putInt(0, 42);               // parent writes
 *     ChildProcess.builder(Reader.class).args(frame).start();
 * }
 * // in any JVM of the same user:  ByteBuffer bytes = SharedSegment.open("frame").buffer();
 * }</pre>
 *
 * <p><b>Views.</b> {@link #buffer()} returns a new {@link ByteBuffer} over the whole segment each call (position 0,
 * capacity {@link #sizeBytes()}, big-endian as every new buffer; set {@code order(ByteOrder.nativeOrder())} for the
 * fastest multi-byte access). On Java 22 and later the same bytes are a {@code java.lang.foreign.MemorySegment}:
 * {@code MemorySegment.ofBuffer(segment.buffer())} (on Java 19 to 21 the same call is a preview API). The build
 * targets Java 17, so the core itself returns only the buffer. The segment starts 128-byte aligned.
 *
 * <p>The mapping is never unmapped while this object is reachable, also after {@link #close()}: a late access reads
 * or writes memory that is no longer shared by name, but never crashes the JVM. Naming, passing, opening,
 * permissions and clean-up: see {@link SharedState}. Never blocks.
 */
public final class SharedSegment extends SharedState {
    private static final long serialVersionUID = 1L;

    SharedSegment(final StateFile file) {
        super(file);
    }

    /**
     * @param name      the name to open it by: 1 to 48 letters, digits, '-' or '_'.
     * @param sizeBytes its size, 1 byte to 1 GiB less 128 bytes. Pages take memory only when first written.
     * @return a new segment, all zeros, owned by this process.
     * @throws IllegalArgumentException if the name is not a name to open by, a live segment has it, or the size is
     *                                  out of range.
     * @throws dev.forklift.ForkliftException if the file cannot be made (for example the file system is full).
     */
    public static SharedSegment create(final String name, final int sizeBytes) {
        return new SharedSegment(StateFile.create(StateType.SEGMENT, name, sizeBytes));
    }

    /**
     * Opens a segment that a process of this user created, from any JVM.
     *
     * @param name the name it was created with.
     * @return the segment, not owned by this process.
     * @throws dev.forklift.ForkliftException if no live segment has the name.
     */
    public static SharedSegment open(final String name) {
        return new SharedSegment(StateFile.open(StateType.SEGMENT, name));
    }

    /** @return the size in bytes. */
    public int sizeBytes() {
        return file.count();
    }

    /** @return a new independent view of the whole segment: position 0, capacity {@link #sizeBytes()}, big-endian. */
    public ByteBuffer buffer() {
        return file.payloadView();
    }

    @Override
    public String toString() {
        return "SharedSegment[" + name() + ", " + sizeBytes() + " bytes]";
    }
}
