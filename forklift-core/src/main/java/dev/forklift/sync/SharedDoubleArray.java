package dev.forklift.sync;

import dev.forklift.sync.internal.StateFile;
import dev.forklift.sync.internal.StateType;

import java.util.Arrays;

/**
 * A fixed-size array of {@code double}s in shared memory with atomic element operations, usable from any number of
 * processes at once (Python's {@code multiprocessing.Array('d', n)} without its lock). Elements are kept as their
 * IEEE 754 bits; {@link #getAndAdd} is a compare-and-set loop, and {@link #compareAndSet} compares bit patterns (as
 * {@link SharedDouble} does).
 *
 * <p>Element operations and bulk copies behave as {@link SharedLongArray}'s: each element atomic, a bulk copy not
 * atomic as a whole. Naming, passing, opening, permissions and clean-up: see {@link SharedState}. Never blocks.
 */
public final class SharedDoubleArray extends SharedState {
    private static final long serialVersionUID = 1L;

    SharedDoubleArray(final StateFile file) {
        super(file);
    }

    /**
     * @param name   the name to open it by: 1 to 48 letters, digits, '-' or '_'.
     * @param length the number of elements, at least 1.
     * @return a new shared array, all 0.0, owned by this process.
     * @throws IllegalArgumentException if the name is not a name to open by, a live shared array has it, or the
     *                                  length is out of range.
     */
    public static SharedDoubleArray create(final String name, final int length) {
        return new SharedDoubleArray(StateFile.create(StateType.DOUBLE_ARRAY, name, length));
    }

    /**
     * @param name   the name to open it by.
     * @param values the first values; the array gets their length.
     * @return a new shared array, owned by this process.
     */
    public static SharedDoubleArray of(final String name, final double... values) {
        final SharedDoubleArray array = create(name, values.length);
        array.copyFrom(values, 0, 0, values.length);
        return array;
    }

    /**
     * Opens a shared array of doubles that a process of this user created, from any JVM.
     *
     * @param name the name it was created with.
     * @return the array, not owned by this process.
     * @throws dev.forklift.ForkliftException if no live shared array has the name, or it is not of doubles.
     */
    public static SharedDoubleArray open(final String name) {
        return new SharedDoubleArray(StateFile.open(StateType.DOUBLE_ARRAY, name));
    }

    /** @return the number of elements. */
    public int length() {
        return file.count();
    }

    /**
     * @param index the element.
     * @return its value (volatile read).
     */
    public double get(final int index) {
        return Double.longBitsToDouble(file.getLong(file.offsetOf(index)));
    }

    /**
     * @param index the element.
     * @param value its new value (volatile write).
     */
    public void set(final int index, final double value) {
        file.putLong(file.offsetOf(index), Double.doubleToRawLongBits(value));
    }

    /**
     * @param index the element.
     * @param value its new value.
     * @return its value before.
     */
    public double getAndSet(final int index, final double value) {
        return Double.longBitsToDouble(file.getAndSetLong(file.offsetOf(index), Double.doubleToRawLongBits(value)));
    }

    /**
     * @param index    the element.
     * @param expected the value it must have (bit for bit).
     * @param value    its new value.
     * @return true if set.
     */
    public boolean compareAndSet(final int index, final double expected, final double value) {
        return file.compareAndSetLong(file.offsetOf(index), Double.doubleToRawLongBits(expected),
            Double.doubleToRawLongBits(value));
    }

    /**
     * @param index the element.
     * @param delta what to add.
     * @return its value before.
     */
    public double getAndAdd(final int index, final double delta) {
        final int offset = file.offsetOf(index);
        while (true) {
            final long bits = file.getLong(offset);
            final double before = Double.longBitsToDouble(bits);
            if (file.compareAndSetLong(offset, bits, Double.doubleToRawLongBits(before + delta))) {
                return before;
            }
        }
    }

    /**
     * @param index the element.
     * @param delta what to add.
     * @return its value after.
     */
    public double addAndGet(final int index, final double delta) {
        return getAndAdd(index, delta) + delta;
    }

    /**
     * Copies elements out, each atomically.
     *
     * @param from   first element of this array.
     * @param target where to copy.
     * @param at     first index in {@code target}.
     * @param length how many.
     */
    public void copyTo(final int from, final double[] target, final int at, final int length) {
        file.checkRange(from, length);
        java.util.Objects.checkFromIndexSize(at, length, target.length);
        StateFile.fullFence();
        for (int i = 0; i < length; i++) {
            target[at + i] = Double.longBitsToDouble(file.getLongOpaque(file.offsetOf(from + i)));
        }
    }

    /**
     * Copies elements in, each atomically.
     *
     * @param source where to copy from.
     * @param at     first index in {@code source}.
     * @param to     first element of this array.
     * @param length how many.
     */
    public void copyFrom(final double[] source, final int at, final int to, final int length) {
        file.checkRange(to, length);
        java.util.Objects.checkFromIndexSize(at, length, source.length);
        for (int i = 0; i < length; i++) {
            file.putLongOpaque(file.offsetOf(to + i), Double.doubleToRawLongBits(source[at + i]));
        }
        StateFile.fullFence();
    }

    /** @return a copy of every element. */
    public double[] toArray() {
        final double[] copy = new double[length()];
        copyTo(0, copy, 0, copy.length);
        return copy;
    }

    /** @param value the value every element gets. */
    public void fill(final double value) {
        for (int i = 0; i < length(); i++) {
            file.putLongOpaque(file.offsetOf(i), Double.doubleToRawLongBits(value));
        }
        StateFile.fullFence();
    }

    @Override
    public String toString() {
        final int shown = Math.min(length(), 16);
        final double[] head = new double[shown];
        copyTo(0, head, 0, shown);
        return "SharedDoubleArray[" + name() + ", length=" + length() + ", " + Arrays.toString(head)
            + (shown < length() ? "...]" : "]");
    }
}
