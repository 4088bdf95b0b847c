package dev.forklift.sync;

import dev.forklift.sync.internal.StateFile;
import dev.forklift.sync.internal.StateType;

import java.util.Arrays;

/**
 * A fixed-size array of {@code long}s in shared memory with atomic element operations, usable from any number of
 * processes at once: the cross-process {@link java.util.concurrent.atomic.AtomicLongArray} (Python's
 * {@code multiprocessing.Array('q', n)} without its lock).
 *
 * <p>Each element operation is atomic and has volatile memory effects, across processes. The bulk copies
 * ({@link #toArray}, {@link #copyTo}, {@link #copyFrom}, {@link #fill}) move each element atomically (an element is
 * never torn) but are not atomic as a whole: a copy made while others write may mix values from before and after
 * their writes. A copy out is ordered after everything the copying thread saw before it; a copy in is visible to any
 * process that reads an element written after it. Guard a whole-array snapshot with a lock when it must be one.
 *
 * <p>Naming, passing, opening, permissions and clean-up: see {@link SharedState}. Never blocks.
 */
public final class SharedLongArray extends SharedState {
    private static final long serialVersionUID = 1L;

    SharedLongArray(final StateFile file) {
        super(file);
    }

    /**
     * @param name   the name to open it by: 1 to 48 letters, digits, '-' or '_'.
     * @param length the number of elements, at least 1 (at most about 134 million: 1 GiB).
     * @return a new shared array, all zeros, owned by this process.
     * @throws IllegalArgumentException if the name is not a name to open by, a live shared array has it, or the
     *                                  length is out of range.
     */
    public static SharedLongArray create(final String name, final int length) {
        return new SharedLongArray(StateFile.create(StateType.LONG_ARRAY, name, length));
    }

    /**
     * @param name   the name to open it by.
     * @param values the first values; the array gets their length.
     * @return a new shared array, owned by this process.
     */
    public static SharedLongArray of(final String name, final long... values) {
        final SharedLongArray array = create(name, values.length);
        array.copyFrom(values, 0, 0, values.length);
        return array;
    }

    /**
     * Opens a shared array of longs that a process of this user created, from any JVM.
     *
     * @param name the name it was created with.
     * @return the array, not owned by this process.
     * @throws dev.forklift.ForkliftException if no live shared array has the name, or it is not of longs.
     */
    public static SharedLongArray open(final String name) {
        return new SharedLongArray(StateFile.open(StateType.LONG_ARRAY, name));
    }

    /** @return the number of elements. */
    public int length() {
        return file.count();
    }

    /**
     * @param index the element.
     * @return its value (volatile read).
     * @throws IndexOutOfBoundsException if out of range.
     */
    public long get(final int index) {
        return file.getLong(file.offsetOf(index));
    }

    /**
     * @param index the element.
     * @param value its new value (volatile write).
     */
    public void set(final int index, final long value) {
        file.putLong(file.offsetOf(index), value);
    }

    /**
     * @param index the element.
     * @param value its new value.
     * @return its value before.
     */
    public long getAndSet(final int index, final long value) {
        return file.getAndSetLong(file.offsetOf(index), value);
    }

    /**
     * @param index the element.
     * @param delta what to add.
     * @return its value before.
     */
    public long getAndAdd(final int index, final long delta) {
        return file.getAndAddLong(file.offsetOf(index), delta);
    }

    /**
     * @param index the element.
     * @param delta what to add.
     * @return its value after.
     */
    public long addAndGet(final int index, final long delta) {
        return file.getAndAddLong(file.offsetOf(index), delta) + delta;
    }

    /**
     * @param index    the element.
     * @param expected the value it must have.
     * @param value    its new value.
     * @return true if set.
     */
    public boolean compareAndSet(final int index, final long expected, final long value) {
        return file.compareAndSetLong(file.offsetOf(index), expected, value);
    }

    /**
     * Copies elements out, each atomically (see the class comment).
     *
     * @param from   first element of this array.
     * @param target where to copy.
     * @param at     first index in {@code target}.
     * @param length how many.
     * @throws IndexOutOfBoundsException if a range is out of bounds.
     */
    public void copyTo(final int from, final long[] target, final int at, final int length) {
        file.checkRange(from, length);
        java.util.Objects.checkFromIndexSize(at, length, target.length);
        StateFile.fullFence();
        for (int i = 0; i < length; i++) {
            target[at + i] = file.getLongOpaque(file.offsetOf(from + i));
        }
    }

    /**
     * Copies elements in, each atomically (see the class comment).
     *
     * @param source where to copy from.
     * @param at     first index in {@code source}.
     * @param to     first element of this array.
     * @param length how many.
     * @throws IndexOutOfBoundsException if a range is out of bounds.
     */
    public void copyFrom(final long[] source, final int at, final int to, final int length) {
        file.checkRange(to, length);
        java.util.Objects.checkFromIndexSize(at, length, source.length);
        for (int i = 0; i < length; i++) {
            file.putLongOpaque(file.offsetOf(to + i), source[at + i]);
        }
        StateFile.fullFence();
    }

    /** @return a copy of every element (see the class comment). */
    public long[] toArray() {
        final long[] copy = new long[length()];
        copyTo(0, copy, 0, copy.length);
        return copy;
    }

    /** @param value the value every element gets (each atomically; see the class comment). */
    public void fill(final long value) {
        for (int i = 0; i < length(); i++) {
            file.putLongOpaque(file.offsetOf(i), value);
        }
        StateFile.fullFence();
    }

    @Override
    public String toString() {
        final int shown = Math.min(length(), 16);
        final long[] head = new long[shown];
        copyTo(0, head, 0, shown);
        return "SharedLongArray[" + name() + ", length=" + length() + ", " + Arrays.toString(head)
            + (shown < length() ? "...]" : "]");
    }
}
