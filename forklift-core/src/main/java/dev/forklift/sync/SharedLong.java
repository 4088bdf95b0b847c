package dev.forklift.sync;

import dev.forklift.sync.internal.StateFile;
import dev.forklift.sync.internal.StateFileDescriptor;
import dev.forklift.sync.internal.StateType;

import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * A {@code long} in shared memory with atomic operations, usable from any number of processes at once: the
 * cross-process {@link java.util.concurrent.atomic.AtomicLong} (Python's {@code multiprocessing.Value('q')}, without
 * the lock: every operation here is one atomic instruction, or a compare-and-set loop for the {@code update}
 * forms).
 *
 * <pre>{@code
 * try (SharedLong hits = SharedLong.create("hits")) {
 *     ChildProcess.builder(Counter.class).args(hits).start();   // the child calls hits.incrementAndGet()
 *     ...
 * }
 * // in any JVM of the same user:  SharedLong hits = SharedLong.open("hits");
 * }</pre>
 *
 * <p>Memory effects: as {@link java.util.concurrent.atomic.AtomicLong}'s volatile operations, across processes:
 * what a process wrote before a {@code set} or an atomic update is seen by a process that reads the new value.
 * Naming, passing, opening, permissions and clean-up: see {@link SharedState}. Never blocks.
 */
public final class SharedLong extends SharedState {
    private static final long serialVersionUID = 1L;
    private static final int CELL = StateFileDescriptor.PAYLOAD_OFFSET;

    SharedLong(final StateFile file) {
        super(file);
    }

    /**
     * @param name the name to open it by: 1 to 48 letters, digits, '-' or '_'.
     * @return a new shared long, 0, owned by this process.
     * @throws IllegalArgumentException if the name is not a name to open by, or a live shared value has it.
     * @throws dev.forklift.ForkliftException if the file cannot be made.
     */
    public static SharedLong create(final String name) {
        return create(name, 0);
    }

    /**
     * @param name         the name to open it by.
     * @param initialValue its first value.
     * @return a new shared long, owned by this process.
     * @throws IllegalArgumentException if the name is not a name to open by, or a live shared value has it.
     */
    public static SharedLong create(final String name, final long initialValue) {
        final SharedLong value = new SharedLong(StateFile.create(StateType.LONG_VALUE, name, 1));
        value.set(initialValue);
        return value;
    }

    /**
     * Opens a shared long that a process of this user created, from any JVM.
     *
     * @param name the name it was created with.
     * @return the shared long, not owned by this process.
     * @throws dev.forklift.ForkliftException if no live shared value has the name, or it is not a long.
     */
    public static SharedLong open(final String name) {
        return new SharedLong(StateFile.open(StateType.LONG_VALUE, name));
    }

    /** @return the value (volatile read). */
    public long get() {
        return file.getLong(CELL);
    }

    /** @param value the new value (volatile write). */
    public void set(final long value) {
        file.putLong(CELL, value);
    }

    /**
     * @param value the new value.
     * @return the value before.
     */
    public long getAndSet(final long value) {
        return file.getAndSetLong(CELL, value);
    }

    /**
     * @param delta what to add.
     * @return the value before.
     */
    public long getAndAdd(final long delta) {
        return file.getAndAddLong(CELL, delta);
    }

    /**
     * @param delta what to add.
     * @return the value after.
     */
    public long addAndGet(final long delta) {
        return file.getAndAddLong(CELL, delta) + delta;
    }

    /** @return the value after adding one. */
    public long incrementAndGet() {
        return addAndGet(1);
    }

    /** @return the value after subtracting one. */
    public long decrementAndGet() {
        return addAndGet(-1);
    }

    /** @return the value before adding one. */
    public long getAndIncrement() {
        return getAndAdd(1);
    }

    /**
     * Sets the value if it is the expected one, atomically.
     *
     * @param expected the value it must have.
     * @param value    the new value.
     * @return true if set, false if the value was another.
     */
    public boolean compareAndSet(final long expected, final long value) {
        return file.compareAndSetLong(CELL, expected, value);
    }

    /**
     * Applies a function atomically (a compare-and-set loop: the function may run more than once under contention,
     * so it must have no side effects).
     *
     * @param update the function of the value before.
     * @return the value before.
     */
    public long getAndUpdate(final LongUnaryOperator update) {
        while (true) {
            final long before = get();
            if (compareAndSet(before, update.applyAsLong(before))) {
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
    public long updateAndGet(final LongUnaryOperator update) {
        while (true) {
            final long before = get();
            final long after = update.applyAsLong(before);
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
    public long accumulateAndGet(final long x, final LongBinaryOperator accumulate) {
        return updateAndGet(v -> accumulate.applyAsLong(v, x));
    }

    @Override
    public String toString() {
        return "SharedLong[" + name() + "=" + get() + ']';
    }
}
