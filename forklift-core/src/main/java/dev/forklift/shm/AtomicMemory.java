package dev.forklift.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Plain, ordered, volatile and compare-and-set access to {@code int} and {@code long} fields of a direct
 * buffer (typically a shared-memory mapping), with the memory-ordering vocabulary of {@link VarHandle} in the
 * method names: {@code Acquire}/{@code Release} pair up across processes as they do across threads.
 *
 * <p>Built on {@link MethodHandles#byteBufferViewVarHandle}, so it needs no JVM flags. Fields accessed
 * atomically must be aligned to their size; offsets come from the descriptor classes, which keep them so.
 * Thread-safe: the object holds no state besides the buffer.
 */
public final class AtomicMemory {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer buffer;

    /** @param buffer a direct buffer; its position and limit are ignored, offsets are absolute. */
    public AtomicMemory(final ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("atomic access needs a direct buffer: buffer=" + buffer);
        }
        this.buffer = buffer.duplicate().order(ByteOrder.nativeOrder()).clear();
    }

    /** @return the capacity of the underlying buffer in bytes. */
    public int capacityBytes() {
        return buffer.capacity();
    }

    /**
     * Reads the long at {@code offset} with plain semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @return the value.
     */
    public long getLong(final int offset) {
        return (long) LONGS.get(buffer, offset);
    }

    /**
     * Writes the long at {@code offset} with plain semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @param value  the value to write.
     */
    public void putLong(final int offset, final long value) {
        LONGS.set(buffer, offset, value);
    }

    /**
     * Reads the long at {@code offset} with volatile semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @return the value.
     */
    public long getLongVolatile(final int offset) {
        return (long) LONGS.getVolatile(buffer, offset);
    }

    /**
     * Reads the long at {@code offset} with acquire semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @return the value.
     */
    public long getLongAcquire(final int offset) {
        return (long) LONGS.getAcquire(buffer, offset);
    }

    /**
     * Writes the long at {@code offset} with release semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @param value  the value to write.
     */
    public void putLongRelease(final int offset, final long value) {
        LONGS.setRelease(buffer, offset, value);
    }

    /**
     * Writes the long at {@code offset} with volatile semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @param value  the value to write.
     */
    public void putLongVolatile(final int offset, final long value) {
        LONGS.setVolatile(buffer, offset, value);
    }

    /**
     * Sets the long at {@code offset} to {@code value} if it is {@code expected}, atomically (volatile semantics).
     *
     * @param offset   the byte offset, aligned to the size of the value.
     * @param expected the value it must have.
     * @param value    the value to write.
     * @return true if it was {@code expected} and is now {@code value}.
     */
    public boolean compareAndSetLong(final int offset, final long expected, final long value) {
        return LONGS.compareAndSet(buffer, offset, expected, value);
    }

    /**
     * Adds {@code delta} to the long at {@code offset}, atomically (volatile semantics).
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @param delta  what to add.
     * @return the value before the addition.
     */
    public long getAndAddLong(final int offset, final long delta) {
        return (long) LONGS.getAndAdd(buffer, offset, delta);
    }

    /**
     * Reads the int at {@code offset} with plain semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @return the value.
     */
    public int getInt(final int offset) {
        return (int) INTS.get(buffer, offset);
    }

    /**
     * Writes the int at {@code offset} with plain semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @param value  the value to write.
     */
    public void putInt(final int offset, final int value) {
        INTS.set(buffer, offset, value);
    }

    /**
     * Reads the int at {@code offset} with acquire semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @return the value.
     */
    public int getIntAcquire(final int offset) {
        return (int) INTS.getAcquire(buffer, offset);
    }

    /**
     * Reads the int at {@code offset} with volatile semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @return the value.
     */
    public int getIntVolatile(final int offset) {
        return (int) INTS.getVolatile(buffer, offset);
    }

    /**
     * Writes the int at {@code offset} with release semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @param value  the value to write.
     */
    public void putIntRelease(final int offset, final int value) {
        INTS.setRelease(buffer, offset, value);
    }

    /**
     * Writes the int at {@code offset} with volatile semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @param value  the value to write.
     */
    public void putIntVolatile(final int offset, final int value) {
        INTS.setVolatile(buffer, offset, value);
    }

    /**
     * Sets the int at {@code offset} to {@code value} if it is {@code expected}, atomically (volatile semantics).
     *
     * @param offset   the byte offset, aligned to the size of the value.
     * @param expected the value it must have.
     * @param value    the value to write.
     * @return true if it was {@code expected} and is now {@code value}.
     */
    public boolean compareAndSetInt(final int offset, final int expected, final int value) {
        return INTS.compareAndSet(buffer, offset, expected, value);
    }

    /**
     * Copies bytes in (plain stores; publish them with a later release store).
     *
     * @param offset where to write.
     * @param bytes  what to write.
     */
    public void putBytes(final int offset, final byte[] bytes) {
        buffer.put(offset, bytes);
    }

    /**
     * Copies bytes out (plain loads; read them after an acquire load that saw them published).
     *
     * @param offset      where to read.
     * @param lengthBytes how many bytes.
     * @return a new array.
     */
    public byte[] getBytes(final int offset, final int lengthBytes) {
        final byte[] bytes = new byte[lengthBytes];
        buffer.get(offset, bytes);
        return bytes;
    }
}
