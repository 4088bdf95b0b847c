package dev.forklift.sync;

import dev.forklift.sync.internal.StateFile;
import dev.forklift.sync.internal.StateFileDescriptor;
import dev.forklift.sync.internal.StateType;

import java.util.function.DoubleUnaryOperator;

/**
 * A {@code double} in shared memory with atomic operations, usable from any number of processes at once (Python's
 * {@code multiprocessing.Value('d')} without its lock). Kept as its IEEE 754 bits in a 64-bit cell: {@link #get()}
 * and {@link #set} are single atomic accesses; {@link #getAndAdd} and the {@code update} forms are compare-and-set
 * loops on the bits.
 *
 * <p>{@link #compareAndSet} compares bit patterns, as {@link Double#equals} does: {@code NaN} matches {@code NaN},
 * {@code 0.0} does not match {@code -0.0}.
 *
 * <p>Memory effects as a volatile field's, across processes. Naming, passing, opening, permissions and clean-up:
 * see {@link SharedState}. Never blocks.
 */
public final class SharedDouble extends SharedState {
    private static final long serialVersionUID = 1L;
    private static final int CELL = StateFileDescriptor.PAYLOAD_OFFSET;

    SharedDouble(final StateFile file) {
        super(file);
    }

    /**
     * @param name         the name to open it by: 1 to 48 letters, digits, '-' or '_'.
     * @param initialValue its first value.
     * @return a new shared double, owned by this process.
     * @throws IllegalArgumentException if the name is not a name to open by, or a live shared value has it.
     */
    public static SharedDouble create(final String name, final double initialValue) {
        final SharedDouble value = new SharedDouble(StateFile.create(StateType.DOUBLE_VALUE, name, 1));
        value.set(initialValue);
        return value;
    }

    /**
     * @param name the name to open it by.
     * @return a new shared double, 0.0, owned by this process.
     */
    public static SharedDouble create(final String name) {
        return create(name, 0.0);
    }

    /**
     * Opens a shared double that a process of this user created, from any JVM.
     *
     * @param name the name it was created with.
     * @return the shared double, not owned by this process.
     * @throws dev.forklift.ForkliftException if no live shared value has the name, or it is not a double.
     */
    public static SharedDouble open(final String name) {
        return new SharedDouble(StateFile.open(StateType.DOUBLE_VALUE, name));
    }

    /** @return the value (volatile read). */
    public double get() {
        return Double.longBitsToDouble(file.getLong(CELL));
    }

    /** @param value the new value (volatile write). */
    public void set(final double value) {
        file.putLong(CELL, Double.doubleToRawLongBits(value));
    }

    /**
     * @param value the new value.
     * @return the value before.
     */
    public double getAndSet(final double value) {
        return Double.longBitsToDouble(file.getAndSetLong(CELL, Double.doubleToRawLongBits(value)));
    }

    /**
     * Sets the value if its bits are those of the expected one, atomically.
     *
     * @param expected the value it must have (compared bit for bit).
     * @param value    the new value.
     * @return true if set.
     */
    public boolean compareAndSet(final double expected, final double value) {
        return file.compareAndSetLong(CELL, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
    }

    /**
     * @param delta what to add.
     * @return the value before.
     */
    public double getAndAdd(final double delta) {
        return getAndUpdate(v -> v + delta);
    }

    /**
     * @param delta what to add.
     * @return the value after.
     */
    public double addAndGet(final double delta) {
        return updateAndGet(v -> v + delta);
    }

    /**
     * Applies a function atomically (a compare-and-set loop on the bits: the function may run more than once, so it
     * must have no side effects).
     *
     * @param update the function of the value before.
     * @return the value before.
     */
    public double getAndUpdate(final DoubleUnaryOperator update) {
        while (true) {
            final long bits = file.getLong(CELL);
            final double before = Double.longBitsToDouble(bits);
            if (file.compareAndSetLong(CELL, bits, Double.doubleToRawLongBits(update.applyAsDouble(before)))) {
                return before;
            }
        }
    }

    /**
     * As {@link #getAndUpdate}.
     *
     * @param update the function of the value before.
     * @return the value after.
     */
    public double updateAndGet(final DoubleUnaryOperator update) {
        while (true) {
            final long bits = file.getLong(CELL);
            final double after = update.applyAsDouble(Double.longBitsToDouble(bits));
            if (file.compareAndSetLong(CELL, bits, Double.doubleToRawLongBits(after))) {
                return after;
            }
        }
    }

    @Override
    public String toString() {
        return "SharedDouble[" + name() + "=" + get() + ']';
    }
}
