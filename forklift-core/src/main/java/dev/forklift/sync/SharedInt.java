package dev.forklift.sync;

import dev.forklift.sync.internal.StateFile;
import dev.forklift.sync.internal.StateFileDescriptor;
import dev.forklift.sync.internal.StateType;

import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * An {@code int} in shared memory with atomic operations, usable from any number of processes at once: the
 * cross-process {@link java.util.concurrent.atomic.AtomicInteger} (Python's {@code multiprocessing.Value('i')}, without
 * the lock: every operation here is one atomic instruction, or a compare-and-set loop for the {@code update}
 * forms).
 *
 * <pre>{@code
 * try (SharedInt hits = SharedInt.create("hits")) {
 *     ChildProcess.builder(Counter.class).args(hits).start();   // the child calls hits.incrementAndGet()
 *     ...
 * }
 * // in any JVM of the same user:  SharedInt hits = SharedInt.open("hits");
 * }</pre>
 *
 * <p>Memory effects: as {@link java.util.concurrent.atomic.AtomicInteger}'s volatile operations, across processes:
 * what a process wrote before a {@code set} or an atomic update is seen by a process that reads the new value.
 * Naming, passing, opening, permissions and clean-up: see {@link SharedState}. Never blocks.
 */
public final class SharedInt extends SharedState {
    private static final long serialVersionUID = 1L;
    private static final int CELL = StateFileDescriptor.PAYLOAD_OFFSET;

    SharedInt(final StateFile file) {
        super(file);
    }

    /**
     * @param name the name to open it by: 1 to 48 letters, digits, '-' or '_'.
     * @return a new shared int, 0, owned by this process.
     * @throws IllegalArgumentException if the name is not a name to open by, or a live shared value has it.
     * @throws dev.forklift.ForkliftException if the file cannot be made.
     */
    public static SharedInt create(final String name) {
        return create(name, 0);
    }

    /**
     * @param name         the name to open it by.
     * @param initialValue its first value.
     * @return a new shared int, owned by this process.
     * @throws IllegalArgumentException if the name is not a name to open by, or a live shared value has it.
     */
    public static SharedInt create(final String name, final int initialValue) {
        final SharedInt value = new SharedInt(StateFile.create(StateType.INT_VALUE, name, 1));
        value.set(initialValue);
        return value;
    }

    /**
     * Opens a shared int that a process of this user created, from any JVM.
     *
     * @param name the name it was created with.
     * @return the shared int, not owned by this process.
     * @throws dev.forklift.ForkliftException if no live shared value has the name, or it is not an int.
     */
    public static SharedInt open(final String name) {
        return new SharedInt(StateFile.open(StateType.INT_VALUE, name));
    }

    /** @return the value (volatile read). */
    public int get() {
        return file.getInt(CELL);
    }

    /** @param value the new value (volatile write). */
    public void set(final int value) {
        file.putInt(CELL, value);
    }

    /**
     * @param value the new value.
     * @return the value before.
     */
    public int getAndSet(final int value) {
        return file.getAndSetInt(CELL, value);
    }

    /**
     * @param delta what to add.
     * @return the value before.
     */
    public int getAndAdd(final int delta) {
        return file.getAndAddInt(CELL, delta);
    }

    /**
     * @param delta what to add.
     * @return the value after.
     */
    public int addAndGet(final int delta) {
        return file.getAndAddInt(CELL, delta) + delta;
    }

    /** @return the value after adding one. */
    public int incrementAndGet() {
        return addAndGet(1);
    }

    /** @return the value after subtracting one. */
    public int decrementAndGet() {
        return addAndGet(-1);
    }

    /** @return the value before adding one. */
    public int getAndIncrement() {
        return getAndAdd(1);
    }

    /**
     * Sets the value if it is the expected one, atomically.
     *
     * @param expected the value it must have.
     * @param value    the new value.
     * @return true if set, false if the value was another.
     */
    public boolean compareAndSet(final int expected, final int value) {
        return file.compareAndSetInt(CELL, expected, value);
    }

    /**
     * Applies a function atomically (a compare-and-set loop: the function may run more than once under contention,
     * so it must have no side effects).
     *
     * @param update the function of the value before.
     * @return the value before.
     */
    public int getAndUpdate(final IntUnaryOperator update) {
        while (true) {
            final int before = get();
            if (compareAndSet(before, update.applyAsInt(before))) {
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
    public int updateAndGet(final IntUnaryOperator update) {
        while (true) {
            final int before = get();
            final int after = update.applyAsInt(before);
            if (compareAndSet(before, after)) {
                return after;
            }
        }
    }

    /**
     * As {@link #updateAndGet} with a binary function of the value and {@code x} (such as {@code Math::max}).
     *
     * @param x          the second operand.
     * @param accumulate the function.
     * @return the value after.
     */
    public int accumulateAndGet(final int x, final IntBinaryOperator accumulate) {
        return updateAndGet(v -> accumulate.applyAsInt(v, x));
    }

    @Override
    public String toString() {
        return "SharedInt[" + name() + "=" + get() + ']';
    }
}
