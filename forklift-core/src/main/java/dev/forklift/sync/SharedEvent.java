package dev.forklift.sync;

import dev.forklift.sync.internal.Backoff;
import dev.forklift.sync.internal.SyncFile;
import dev.forklift.sync.internal.SyncFileLayout;
import dev.forklift.sync.internal.SyncKind;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A flag in shared memory that threads of any process wait on until some process sets it: the counterpart of
 * Python's {@code multiprocessing.Event}. {@link #set()} wakes every waiter, also one whose wake-up comes after a
 * {@link #clear()} that followed the set at once (each set counts a generation, and a waiter returns when the
 * generation moved since it began to wait); {@link #clear()} makes later waits wait again.
 *
 * <p>No process holds an event, so the death of a process changes nothing for the others: a waiter waits for the
 * next set by any live process. Waiting spins, yields, then parks with back-off (microseconds under traffic, next to
 * no CPU when idle). Thread-safe; {@code close()} as for {@link SharedLock}; serializable as a reference.
 *
 * <pre>
 * Body (at SyncFileLayout.BODY_OFFSET)
 *  +---------------------------------------------------------------+
 *  |                     State (64 bits: 0 clear, 1 set)           | +0
 *  +---------------------------------------------------------------+
 *  |                     Generation: sets so far (64 bits)         | +8
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * @serial exclude
 */
public final class SharedEvent implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;
    private static final int STATE = SyncFileLayout.BODY_OFFSET;
    private static final int GENERATION = STATE + Long.BYTES;
    private static final int BODY_BYTES = 16;

    private final transient SyncFile file;

    SharedEvent(final SyncFile file) {
        this.file = file;
    }

    /**
     * @param name 1 to 48 letters, digits, '-' or '_'; unique among the live events of this user; null for a fresh
     *             name.
     * @return a new, clear event, owned by this process.
     */
    public static SharedEvent create(final String name) {
        return new SharedEvent(SyncFile.create(SyncKind.EVENT, name, BODY_BYTES, new int[0], null, m -> { }));
    }

    /** @return a new event with a fresh name. */
    public static SharedEvent create() {
        return create(null);
    }

    /**
     * @param name the name of a live event of this user.
     * @return a handle.
     * @throws dev.forklift.ForkliftException if none has that name.
     */
    public static SharedEvent open(final String name) {
        return new SharedEvent(SyncFile.openByName(SyncKind.EVENT, name));
    }

    /** Sets the flag and wakes every waiter. Never blocks. */
    public void set() {
        if (file.memory().getLongVolatile(STATE) == 0) {
            file.memory().getAndAddLong(GENERATION, 1);
            file.memory().putLongVolatile(STATE, 1);
        }
    }

    /** Clears the flag. Never blocks. */
    public void clear() {
        file.memory().putLongVolatile(STATE, 0);
    }

    /** @return true if the flag is set now. */
    public boolean isSet() {
        return file.memory().getLongVolatile(STATE) != 0;
    }

    /**
     * Waits until the flag is set (returns at once if it is).
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void await() throws InterruptedException {
        awaitNanos(-1);
    }

    /**
     * Waits until the flag is set or the timeout passes.
     *
     * @param timeout the longest wait, in {@code unit}; zero or less only looks at the flag.
     * @param unit    the unit of {@code timeout}.
     * @return true if set, false on timeout.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean await(final long timeout, final TimeUnit unit) throws InterruptedException {
        return awaitNanos(Math.max(0, unit.toNanos(timeout)));
    }

    /**
     * @param timeout the longest wait.
     * @return true if set, false on timeout.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean await(final Duration timeout) throws InterruptedException {
        return await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private boolean awaitNanos(final long timeoutNs) throws InterruptedException {
        final long generation = file.memory().getLongVolatile(GENERATION);
        if (isSet()) {
            return true;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before waiting on " + this);
        }
        final long deadlineNs = System.nanoTime() + timeoutNs;
        final Backoff backoff = new Backoff();
        while (!isSet() && file.memory().getLongVolatile(GENERATION) == generation) {
            if (timeoutNs >= 0 && System.nanoTime() - deadlineNs >= 0) {
                return false;
            }
            if (timeoutNs >= 0) {
                backoff.idleUntil(deadlineNs);
            } else {
                backoff.idle();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting on " + this);
            }
        }
        return true;
    }

    /** @return the name others open this event by. */
    public String name() {
        return file.name();
    }

    /** Deletes the event's file in its creator; drops this handle elsewhere. Idempotent. */
    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        return "event '" + name() + "' (" + (isSet() ? "set" : "clear") + ")";
    }

    @java.io.Serial
    private Object writeReplace() {
        return new SyncRef(file, null);
    }
}
