package dev.forklift.sync;

import dev.forklift.shm.AtomicMemory;
import dev.forklift.sync.internal.Backoff;
import dev.forklift.sync.internal.SpinBudget;
import dev.forklift.sync.internal.OwnerStamp;
import dev.forklift.sync.internal.RobustLockWord;
import dev.forklift.sync.internal.SyncFile;
import dev.forklift.sync.internal.SyncFileLayout;
import dev.forklift.sync.internal.SyncKind;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cyclic barrier of N parties in shared memory: threads of any processes call {@link #await()}, and all go on once N
 * have arrived (the last one first runs the {@link BarrierAction}, if any). The counterpart of Python's
 * {@code multiprocessing.Barrier} and of {@link java.util.concurrent.CyclicBarrier}, with the same broken state: a
 * party that times out or is interrupted, a {@link #reset()} while parties wait, or an action that throws breaks the
 * barrier, and every waiting and later {@code await} throws {@link BarrierBrokenException} until {@link #reset()}.
 *
 * <p><b>When a party dies.</b> Every process that awaits the barrier is noted in its roster (until it closes its
 * handle). Waiting parties look at the roster after about 2 ms of waiting and then every 100 ms; once a noted
 * process is dead (killed while waiting, or gone before arriving for the next round) they break the barrier, and
 * every waiter gets a {@link BarrierBrokenException} whose {@link BarrierBrokenException#deadPartyPid()} names it.
 * So a round whose party died ends within about 100 ms, instead of never. Up to {@link #rosterRows()} processes are
 * noted; more still wait, unwatched.
 *
 * <p>Waiting spins, yields, then parks with back-off. Thread-safe; {@code close()} as for {@link SharedLock} (and it
 * takes this process off the roster); serializable as a reference that carries the action.
 *
 * <pre>
 * Body (at SyncFileLayout.BODY_OFFSET; written under the header's guard lock)
 *  +---------------------------------------------------------------+
 *  |                     Generation: rounds completed (64 bits)    | +0
 *  +---------------------------------------------------------------+
 *  |                     Arrived in this round (64 bits)           | +8
 *  +---------------------------------------------------------------+
 *  |                     Broken round + 1 (64 bits; 0: never)      | +16
 *  +---------------------------------------------------------------+
 *  |                     Dead party's pid (64 bits)                | +24
 *  +---------------------------------------------------------------+
 *  |                     Broken reason (ordinal + 1)               | +32
 *  +---------------------------------------------------------------+
 *  |   ... to +128 ...                                             |
 *  +---------------------------------------------------------------+
 *  | Roster: rows x 8 bytes, owner words of the awaiting processes | +128
 *  +---------------------------------------------------------------+
 *  Header parameter 1: parties; parameter 2: roster rows.
 * </pre>
 *
 * @serial exclude
 */
public final class SharedBarrier implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;
    private static final int GENERATION = SyncFileLayout.BODY_OFFSET;
    private static final int ARRIVED = GENERATION + 8;
    private static final int BROKEN_ROUND = GENERATION + 16;
    private static final int DEAD_PID = GENERATION + 24;
    private static final int REASON = GENERATION + 32;
    private static final int ROSTER = GENERATION + 128;

    private final transient SyncFile file;
    private final transient SpinBudget spinBudget = new SpinBudget();
    private final transient AtomicMemory memory;
    private final transient RobustLockWord guard;
    private final transient int parties;
    private final transient int rows;
    private final transient long ownWord;
    private final BarrierAction action;
    /** True once this handle's process is on the roster (only its own close, or its death, takes it off). */
    private transient volatile boolean registered;

    SharedBarrier(final SyncFile file, final BarrierAction action) {
        this.file = file;
        this.memory = file.memory();
        this.guard = file.guard();
        this.parties = file.param(1);
        this.rows = file.param(2);
        this.ownWord = file.liveness().ownWord();
        this.action = action;
    }

    /**
     * Creates a barrier others can open by name.
     *
     * @param name    1 to 48 letters, digits, '-' or '_', unique among the live barriers of this user; null for a
     *                fresh name.
     * @param parties how many parties each round waits for, 1 to 4096.
     * @param action  what the last party runs before all go on, or null.
     * @return the barrier, owned by this process.
     * @throws IllegalArgumentException if a value is bad (the message names it) or the name is taken.
     */
    public static SharedBarrier create(final String name, final int parties, final BarrierAction action) {
        if (parties < 1 || parties > 4096) {
            throw new IllegalArgumentException("parties must be in 1..4096: parties=" + parties);
        }
        final int rows = Math.max(16, Math.min(1024, 2 * parties));
        return new SharedBarrier(SyncFile.create(SyncKind.BARRIER, name, 128 + rows * 8, new int[] {parties, rows},
            null, m -> { }), action);
    }

    /**
     * Creates a barrier with a fresh name and no action.
     *
     * @param parties how many parties each round waits for, 1 to 4096.
     * @return the barrier, owned by this process.
     * @throws IllegalArgumentException if {@code parties} is out of range.
     */
    public static SharedBarrier create(final int parties) {
        return create(null, parties, null);
    }

    /**
     * @param name the name of a live barrier of this user.
     * @return a handle, without an action (the action runs in whichever party arrives last: give it with
     *     {@link #open(String, BarrierAction)} where it must run).
     * @throws dev.forklift.ForkliftException if none has that name.
     */
    public static SharedBarrier open(final String name) {
        return open(name, null);
    }

    /**
     * @param name   the name of a live barrier of this user.
     * @param action what this process runs when one of its threads arrives last, or null.
     * @return a handle.
     */
    public static SharedBarrier open(final String name, final BarrierAction action) {
        return new SharedBarrier(SyncFile.openByName(SyncKind.BARRIER, name), action);
    }

    /**
     * Waits until all parties have arrived.
     *
     * @return the arrival index: {@code parties - 1} for the first to arrive, 0 for the last.
     * @throws BarrierBrokenException if the barrier is or becomes broken while waiting.
     * @throws InterruptedException   if interrupted while waiting (the barrier is broken for the others).
     */
    public int await() throws InterruptedException, BarrierBrokenException {
        try {
            return awaitNanos(-1);
        } catch (final TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Waits until all parties have arrived or the timeout passes (which breaks the barrier, as in
     * {@link java.util.concurrent.CyclicBarrier}).
     *
     * @param timeout the longest wait, in {@code unit}; zero or less does not wait (a party that is not the last
     *                to arrive then breaks the barrier at once and gets a {@link TimeoutException}).
     * @param unit    the unit of {@code timeout}.
     * @return the arrival index: {@code parties - 1} for the first to arrive, 0 for the last.
     * @throws TimeoutException       if the timeout passed; the barrier is broken for the others.
     * @throws BarrierBrokenException if the barrier is or becomes broken while waiting.
     * @throws InterruptedException   if interrupted while waiting.
     */
    public int await(final long timeout, final TimeUnit unit) throws InterruptedException, BarrierBrokenException,
        TimeoutException {
        return awaitNanos(Math.max(0, unit.toNanos(timeout)));
    }

    /**
     * @param timeout the longest wait.
     * @return the arrival index.
     * @throws TimeoutException       if the timeout passed.
     * @throws BarrierBrokenException if broken.
     * @throws InterruptedException   if interrupted.
     */
    public int await(final Duration timeout) throws InterruptedException, BarrierBrokenException, TimeoutException {
        return await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private int awaitNanos(final long timeoutNs) throws InterruptedException, BarrierBrokenException,
        TimeoutException {
        file.checkOpen("await the barrier");
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before awaiting " + this);
        }
        final long round;
        final int index;
        lockGuard();
        try {
            round = memory.getLong(GENERATION);
            if (memory.getLong(BROKEN_ROUND) == round + 1) {
                throw broken();
            }
            register();
            final long arrived = memory.getLong(ARRIVED) + 1;
            memory.putLongVolatile(ARRIVED, arrived);
            index = (int) (parties - arrived);
        } finally {
            guard.release();
        }
        if (index == 0) {
            return trip(round);
        }
        return waitForRound(round, index, timeoutNs);
    }

    private int trip(final long round) throws BarrierBrokenException {
        if (action != null) {
            try {
                action.run();
            } catch (final RuntimeException | Error ex) {
                breakRound(round, BarrierBrokenException.Reason.ACTION_FAILED, 0);
                final BarrierBrokenException broken = broken();
                broken.initCause(ex);
                throw broken;
            }
        }
        lockGuard();
        try {
            if (memory.getLong(BROKEN_ROUND) == round + 1) {
                throw broken();
            }
            memory.putLong(ARRIVED, 0);
            memory.putLongVolatile(GENERATION, round + 1);
            return 0;
        } finally {
            guard.release();
        }
    }

    private int waitForRound(final long round, final int index, final long timeoutNs) throws InterruptedException,
        BarrierBrokenException, TimeoutException {
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + timeoutNs;
        long nextJudgeNs = startNs + RobustLockWord.FIRST_LIVENESS_CHECK_NS;
        final Backoff backoff = new Backoff(spinBudget);
        while (true) {
            if (memory.getLongVolatile(BROKEN_ROUND) == round + 1) {
                throw broken();
            }
            if (memory.getLongVolatile(GENERATION) != round) {
                backoff.woke();
                return index;
            }
            final long nowNs = System.nanoTime();
            if (nowNs - nextJudgeNs >= 0) {
                nextJudgeNs = nowNs + RobustLockWord.LIVENESS_CHECK_INTERVAL_NS;
                final long dead = deadRosterPid();
                if (dead != 0) {
                    breakRound(round, BarrierBrokenException.Reason.PARTY_DIED, dead);
                    continue;
                }
            }
            if (timeoutNs >= 0 && nowNs - deadlineNs >= 0) {
                if (breakRound(round, BarrierBrokenException.Reason.TIMEOUT, 0)) {
                    throw new TimeoutException("timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNs)
                        + " ms waiting at " + this + "; the barrier is broken for the other parties");
                }
                continue;
            }
            if (timeoutNs >= 0) {
                backoff.idleUntil(deadlineNs);
            } else {
                backoff.idle();
            }
            if (Thread.interrupted()) {
                if (breakRound(round, BarrierBrokenException.Reason.INTERRUPTED, 0)) {
                    throw new InterruptedException("interrupted while waiting at " + this
                        + "; the barrier is broken for the other parties");
                }
                Thread.currentThread().interrupt(); // the round ended meanwhile: keep the interrupt, go on
            }
        }
    }

    /**
     * Breaks the current round, if it is still {@code round} and not yet broken.
     *
     * @return true if this call broke it.
     */
    private boolean breakRound(final long round, final BarrierBrokenException.Reason reason, final long deadPid) {
        lockGuard();
        try {
            if (memory.getLong(GENERATION) != round || memory.getLong(BROKEN_ROUND) == round + 1) {
                return false;
            }
            memory.putLong(DEAD_PID, deadPid);
            memory.putLong(REASON, reason.ordinal() + 1);
            memory.putLongVolatile(BROKEN_ROUND, round + 1);
            return true;
        } finally {
            guard.release();
        }
    }

    /**
     * Makes the barrier whole again: waiting parties get {@link BarrierBrokenException} (reason
     * {@link BarrierBrokenException.Reason#RESET}), a new round starts, and dead processes leave the roster.
     */
    public void reset() {
        lockGuard();
        try {
            final long round = memory.getLong(GENERATION);
            if (memory.getLong(ARRIVED) > 0 && memory.getLong(BROKEN_ROUND) != round + 1) {
                memory.putLong(DEAD_PID, 0);
                memory.putLong(REASON, BarrierBrokenException.Reason.RESET.ordinal() + 1);
                memory.putLongVolatile(BROKEN_ROUND, round + 1);
            }
            for (int row = 0; row < rows; row++) {
                final long owner = memory.getLong(ROSTER + row * 8);
                if (owner != 0 && file.liveness().isDead(owner)) {
                    memory.putLong(ROSTER + row * 8, 0);
                }
            }
            memory.putLong(ARRIVED, 0);
            memory.putLongVolatile(GENERATION, round + 1);
        } finally {
            guard.release();
        }
    }

    /** @return true if the current round is broken. */
    public boolean isBroken() {
        return memory.getLongVolatile(BROKEN_ROUND) == memory.getLongVolatile(GENERATION) + 1;
    }

    /** @return the number of parties each round waits for. */
    public int parties() {
        return parties;
    }

    /** @return how many parties wait in the current round now (a snapshot). */
    public int numberWaiting() {
        return (int) memory.getLongVolatile(ARRIVED);
    }

    /** @return how many rounds have completed (or were reset). */
    public long rounds() {
        return memory.getLongVolatile(GENERATION);
    }

    /** @return how many processes the roster can note. */
    public int rosterRows() {
        return rows;
    }

    /** @return the name others open this barrier by. */
    public String name() {
        return file.name();
    }

    /** Takes this process off the roster, and deletes the file in its creator. Idempotent. */
    @Override
    public void close() {
        if (!file.isClosed()) {
            lockGuard();
            try {
                for (int row = 0; row < rows; row++) {
                    if (memory.getLong(ROSTER + row * 8) == ownWord) {
                        memory.putLong(ROSTER + row * 8, 0);
                    }
                    registered = false;
                }
            } finally {
                guard.release();
            }
        }
        file.close();
    }

    @Override
    public String toString() {
        return "barrier '" + name() + "' (" + numberWaiting() + " of " + parties + " waiting" + (isBroken() ? ", broken"
            : "") + ")";
    }

    private void register() {
        if (registered) {
            return;
        }
        int free = -1;
        for (int row = 0; row < rows; row++) {
            final long owner = memory.getLong(ROSTER + row * 8);
            if (owner == ownWord) {
                registered = true;
                return;
            }
            if (owner == 0 && free < 0) {
                free = row;
            }
        }
        if (free >= 0) {
            memory.putLongVolatile(ROSTER + free * 8, ownWord);
            registered = true;
        }
    }

    private long deadRosterPid() {
        for (int row = 0; row < rows; row++) {
            final long owner = memory.getLongVolatile(ROSTER + row * 8);
            if (owner != 0 && owner != ownWord && file.liveness().isDead(owner)) {
                return OwnerStamp.pid(owner);
            }
        }
        return 0;
    }

    private BarrierBrokenException broken() {
        final int code = (int) memory.getLongVolatile(REASON);
        final BarrierBrokenException.Reason reason = code >= 1 && code <= BarrierBrokenException.Reason.values().length
            ? BarrierBrokenException.Reason.values()[code - 1] : BarrierBrokenException.Reason.PARTY_DIED;
        final long dead = memory.getLongVolatile(DEAD_PID);
        final String why;
        switch (reason) {
            case PARTY_DIED:
                why = dead > 0 ? "party pid " + dead + " died while the others waited for it" : "a party died";
                break;
            case TIMEOUT:
                why = "a waiting party timed out";
                break;
            case INTERRUPTED:
                why = "a waiting party was interrupted";
                break;
            case RESET:
                why = "the barrier was reset while parties waited";
                break;
            default:
                why = "the barrier action failed";
        }
        return new BarrierBrokenException("barrier '" + name() + "' is broken: " + why + " (reset() makes it whole)",
            reason, reason == BarrierBrokenException.Reason.PARTY_DIED ? dead : 0);
    }

    private void lockGuard() {
        if (guard.acquireGuard() == RobustLockWord.ACQUIRED_OWNER_DIED) {
            // A process died in the middle of an update: the round cannot complete as it was; break it.
            final long round = memory.getLong(GENERATION);
            if (memory.getLong(BROKEN_ROUND) != round + 1) {
                memory.putLong(DEAD_PID, deadRosterPid());
                memory.putLong(REASON, BarrierBrokenException.Reason.PARTY_DIED.ordinal() + 1);
                memory.putLongVolatile(BROKEN_ROUND, round + 1);
            }
        }
    }

    @java.io.Serial
    private Object writeReplace() {
        return new SyncRef(file, null, action);
    }
}
