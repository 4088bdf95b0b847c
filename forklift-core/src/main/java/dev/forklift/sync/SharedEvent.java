package dev.forklift.sync;

import dev.forklift.sync.internal.Backoff;
import dev.forklift.sync.internal.SpinBudget;
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
 * <p>The flag and the generation are one word, changed by one CAS: a waiter that returns because the generation
 * moved saw the flag set by the same write, so a {@link #clear()} that follows its return is never undone by the
 * set that woke it (two words, written one after the other, let it be; {@code EventSetVersusClearTest}).
 *
 * <pre>
 * Body (at SyncFileLayout.BODY_OFFSET)
 *  +---------------------------------------------------------------+
 *  |   Generation: sets so far (63 bits)                       |S| +0   S: 1 set, 0 clear
 *  +---------------------------------------------------------------+
 *  |                     Unused (64 bits)                          | +8
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * @serial exclude
 */
public final class SharedEvent implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;
    private static final int WORD = SyncFileLayout.BODY_OFFSET;
    private static final long SET_BIT = 1;
    /** What a set adds to the word besides the flag: one generation. */
    private static final long GENERATION_STEP = 2;
    static final int BODY_BYTES = 16;

    private final transient SyncFile file;
    private final transient SpinBudget spinBudget = new SpinBudget();

    /** Package-private: over a file or, for the jcstress tests, over plain memory. */
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
        long word;
        do {
            word = file.memory().getLongVolatile(WORD);
        } while ((word & SET_BIT) == 0
            && !file.memory().compareAndSetLong(WORD, word, (word + GENERATION_STEP) | SET_BIT));
    }

    /** Clears the flag. Never blocks. */
    public void clear() {
        long word;
        do {
            word = file.memory().getLongVolatile(WORD);
        } while ((word & SET_BIT) != 0 && !file.memory().compareAndSetLong(WORD, word, word & ~SET_BIT));
    }

    /** @return true if the flag is set now. */
    public boolean isSet() {
        return (file.memory().getLongVolatile(WORD) & SET_BIT) != 0;
    }

    /** @return the word a wait begins with (for {@link #wokenSince}); package-private for the jcstress tests. */
    long waitBegins() {
        return file.memory().getLongVolatile(WORD);
    }

    /**
     * @param begun what {@link #waitBegins()} returned.
     * @return true if the flag is set now or was set since (the generation moved): the wait is over.
     */
    boolean wokenSince(final long begun) {
        final long word = file.memory().getLongVolatile(WORD);
        return (word & SET_BIT) != 0 || word >>> 1 != begun >>> 1;
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
        final long begun = waitBegins();
        if ((begun & SET_BIT) != 0) {
            return true;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before waiting on " + this);
        }
        final long deadlineNs = System.nanoTime() + timeoutNs;
        final Backoff backoff = new Backoff(spinBudget);
        while (!wokenSince(begun)) {
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
        backoff.woke();
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
