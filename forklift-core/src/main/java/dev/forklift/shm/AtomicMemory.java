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
 * <p>Built on {@link MethodHandles#byteBufferViewVarHandle}, so it needs no JVM flags; where {@code sun.misc.Unsafe}
 * is available without a warning (JDK 17 to 23) the same operations go through it instead ({@link UnsafeAccess}),
 * with the same bounds and alignment checks, because a VarHandle access is slow until C2 compiles its caller: a
 * fresh child JVM otherwise spends its first tens of thousands of queue operations in method-handle chains. Fields accessed
 * atomically must be aligned to their size; offsets come from the descriptor classes, which keep them so.
 * Thread-safe: the object holds no state besides the buffer.
 */
public final class AtomicMemory {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer buffer;
    /** The buffer's native address when {@link UnsafeAccess} is used, else 0 (the {@code VarHandle}s are). */
    private final long base;
    private final int capacity;

    /** @param buffer a direct buffer; its position and limit are ignored, offsets are absolute. */
    public AtomicMemory(final ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("atomic access needs a direct buffer: buffer=" + buffer);
        }
        this.buffer = buffer.duplicate().order(ByteOrder.nativeOrder()).clear();
        this.capacity = this.buffer.capacity();
        this.base = UnsafeAccess.AVAILABLE ? UnsafeAccess.address(this.buffer) : 0;
    }

    /** @return true when this memory is read and written through {@code sun.misc.Unsafe}, false through VarHandles. */
    public boolean direct() {
        return base != 0;
    }

    /** Bounds check of a plain access, as the VarHandle makes it. */
    private long at(final int offset, final int size) {
        if (offset < 0 || offset > capacity - size) {
            throw new IndexOutOfBoundsException("offset " + offset + " of a " + size + "-byte value is outside 0.."
                + capacity + " bytes");
        }
        return base + offset;
    }

    /** Bounds and alignment check of an atomic access, as the VarHandle makes them. */
    private long aligned(final int offset, final int size) {
        final long address = at(offset, size);
        if ((address & (size - 1)) != 0) {
            throw new IllegalStateException("misaligned access at offset " + offset + " of a " + size
                + "-byte value");
        }
        return address;
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
        if (base != 0) {
            return UnsafeAccess.getLong(at(offset, Long.BYTES));
        }
        return (long) LONGS.get(buffer, offset);
    }

    /**
     * Writes the long at {@code offset} with plain semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @param value  the value to write.
     */
    public void putLong(final int offset, final long value) {
        if (base != 0) {
            UnsafeAccess.putLong(at(offset, Long.BYTES), value);
            return;
        }
        LONGS.set(buffer, offset, value);
    }

    /**
     * Reads the long at {@code offset} with volatile semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @return the value.
     */
    public long getLongVolatile(final int offset) {
        if (base != 0) {
            return UnsafeAccess.getLongVolatile(aligned(offset, Long.BYTES));
        }
        return (long) LONGS.getVolatile(buffer, offset);
    }

    /**
     * Reads the long at {@code offset} with acquire semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @return the value.
     */
    public long getLongAcquire(final int offset) {
        if (base != 0) {
            return UnsafeAccess.getLongVolatile(aligned(offset, Long.BYTES));
        }
        return (long) LONGS.getAcquire(buffer, offset);
    }

    /**
     * Writes the long at {@code offset} with release semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @param value  the value to write.
     */
    public void putLongRelease(final int offset, final long value) {
        if (base != 0) {
            UnsafeAccess.putLongRelease(aligned(offset, Long.BYTES), value);
            return;
        }
        LONGS.setRelease(buffer, offset, value);
    }

    /**
     * Writes the long at {@code offset} with volatile semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @param value  the value to write.
     */
    public void putLongVolatile(final int offset, final long value) {
        if (base != 0) {
            UnsafeAccess.putLongVolatile(aligned(offset, Long.BYTES), value);
            return;
        }
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
        if (base != 0) {
            return UnsafeAccess.compareAndSetLong(aligned(offset, Long.BYTES), expected, value);
        }
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
        if (base != 0) {
            return UnsafeAccess.getAndAddLong(aligned(offset, Long.BYTES), delta);
        }
        return (long) LONGS.getAndAdd(buffer, offset, delta);
    }

    /**
     * Reads the int at {@code offset} with plain semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @return the value.
     */
    public int getInt(final int offset) {
        if (base != 0) {
            return UnsafeAccess.getInt(at(offset, Integer.BYTES));
        }
        return (int) INTS.get(buffer, offset);
    }

    /**
     * Writes the int at {@code offset} with plain semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @param value  the value to write.
     */
    public void putInt(final int offset, final int value) {
        if (base != 0) {
            UnsafeAccess.putInt(at(offset, Integer.BYTES), value);
            return;
        }
        INTS.set(buffer, offset, value);
    }

    /**
     * Reads the int at {@code offset} with acquire semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @return the value.
     */
    public int getIntAcquire(final int offset) {
        if (base != 0) {
            return UnsafeAccess.getIntVolatile(aligned(offset, Integer.BYTES));
        }
        return (int) INTS.getAcquire(buffer, offset);
    }

    /**
     * Reads the int at {@code offset} with volatile semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @return the value.
     */
    public int getIntVolatile(final int offset) {
        if (base != 0) {
            return UnsafeAccess.getIntVolatile(aligned(offset, Integer.BYTES));
        }
        return (int) INTS.getVolatile(buffer, offset);
    }

    /**
     * Writes the int at {@code offset} with release semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @param value  the value to write.
     */
    public void putIntRelease(final int offset, final int value) {
        if (base != 0) {
            UnsafeAccess.putIntRelease(aligned(offset, Integer.BYTES), value);
            return;
        }
        INTS.setRelease(buffer, offset, value);
    }

    /**
     * Writes the int at {@code offset} with volatile semantics.
     *
     * @param offset the byte offset, aligned to the size of the value.
     * @param value  the value to write.
     */
    public void putIntVolatile(final int offset, final int value) {
        if (base != 0) {
            UnsafeAccess.putIntVolatile(aligned(offset, Integer.BYTES), value);
            return;
        }
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
        if (base != 0) {
            return UnsafeAccess.compareAndSetInt(aligned(offset, Integer.BYTES), expected, value);
        }
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
