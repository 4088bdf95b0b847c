package dev.forklift.sync;

import dev.forklift.shm.AtomicMemory;
import dev.forklift.sync.internal.Backoff;
import dev.forklift.sync.internal.SpinBudget;
import dev.forklift.sync.internal.OwnerLiveness;
import dev.forklift.sync.internal.OwnerStamp;
import dev.forklift.sync.internal.RobustLockWord;
import dev.forklift.sync.internal.SyncFile;
import dev.forklift.sync.internal.SyncFileLayout;
import dev.forklift.sync.internal.SyncKind;

import java.io.Serializable;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * A condition bound to a {@link SharedLock}, in shared memory: threads of any process that hold the lock wait on it
 * ({@link #await()}, which releases the lock while it waits and takes it again before it returns) until another
 * signals it. A {@link Condition}, the counterpart of Python's {@code multiprocessing.Condition}. As with every
 * condition, wait in a loop that checks the state the condition is about: a wake-up may be spurious.
 *
 * <p><b>Waiters in shared memory.</b> Each waiting thread takes a slot (up to {@link #waiterSlots()} at once) with
 * its process's owner word and a ticket; {@link #signal()} marks the waiting slot with the lowest ticket signalled
 * (first come, first signalled), {@link #signalAll()} every waiting slot.
 *
 * <p><b>When a waiter dies.</b> A process killed while it waits, or after it was signalled and before it woke, would
 * swallow a signal. Waiters look at the other slots after about 2 ms of waiting and then every 100 ms: a dead
 * process's slot is freed, and a signal it had received is passed on to the oldest live waiter
 * ({@link #signalsPassedOn()} counts them), so the others go on. A waiter whose lock's holder died gets the lock with
 * {@link SharedLock#previousOwnerDied()} true when its {@code await} returns.
 *
 * <p>Every wait has a timed form and is interruptible but {@link #awaitUninterruptibly()}. Thread-safe;
 * {@code close()} as for {@link SharedLock}; serializable as a reference that carries its lock's.
 *
 * <pre>
 * Body (at SyncFileLayout.BODY_OFFSET)
 *  +---------------------------------------------------------------+
 *  |                     Next ticket (64 bits)                     | +0
 *  +---------------------------------------------------------------+
 *  |                     Signals passed on from dead waiters       | +8
 *  +---------------------------------------------------------------+
 *  |   ... to +128 ...                                             |
 *  +---------------------------------------------------------------+
 *  | Slots: slots x 16 bytes                                       | +128
 *  |   +-+-+-+-----------------------------------------------------+
 *  |   |0|S|W|  owner word (pid, start stamp; 61 bits)              |  slot word, 0 = free
 *  |   +-+-+-+-----------------------------------------------------+
 *  |   |  ticket (64 bits)                                         |
 *  +---------------------------------------------------------------+
 *  S W: 0 1 waiting, 1 0 signalled, 1 1 being claimed.
 *  Header parameter 1: slots; parameter 2: the lock's kind; bound name: the lock's name.
 * </pre>
 *
 * @serial exclude
 */
public final class SharedCondition implements Condition, AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;
    /** Waiter slots of a condition. */
    public static final int DEFAULT_WAITER_SLOTS = 64;
    private static final int NEXT_TICKET = SyncFileLayout.BODY_OFFSET;
    private static final int PASSED_ON = NEXT_TICKET + 8;
    private static final int SLOTS = NEXT_TICKET + 128;
    private static final int SLOT_BYTES = 16;
    private static final long WAITING = 1L << 61;
    private static final long SIGNALLED = 2L << 61;
    private static final long CLAIMING = 3L << 61;
    private static final long STATE_MASK = 3L << 61;

    private final transient SyncFile file;
    private final transient SpinBudget spinBudget = new SpinBudget();
    private final transient AtomicMemory memory;
    private final transient OwnerLiveness liveness;
    private final transient long ownWord;
    private final transient int slots;
    private final SharedLock lock;

    SharedCondition(final SyncFile file, final SharedLock lock) {
        this.file = file;
        this.memory = file.memory();
        this.liveness = file.liveness();
        this.ownWord = liveness.ownWord();
        this.slots = file.param(1);
        this.lock = lock;
    }

    /**
     * Creates a condition bound to a lock, that others can open by name.
     *
     * @param name 1 to 48 letters, digits, '-' or '_', unique among the live conditions of this user; null for a
     *             fresh name.
     * @param lock the lock waiters hold.
     * @return the condition, owned by this process.
     * @throws IllegalArgumentException if the name is not valid or taken.
     */
    public static SharedCondition create(final String name, final SharedLock lock) {
        return new SharedCondition(SyncFile.create(SyncKind.CONDITION, name, 128 + DEFAULT_WAITER_SLOTS * SLOT_BYTES,
            new int[] {DEFAULT_WAITER_SLOTS, lock.file.kind().code()}, lock.name(), m -> { }), lock);
    }

    /**
     * Opens the live condition of this user with that name, and its lock.
     *
     * @param name its name.
     * @return a handle; {@link #lock()} is a handle of its lock.
     * @throws dev.forklift.ForkliftException if none has that name, or its lock is gone.
     */
    public static SharedCondition open(final String name) {
        final SyncFile file = SyncFile.openByName(SyncKind.CONDITION, name);
        final SyncKind lockKind = SyncKind.ofCode(file.param(2));
        final SyncFile lockFile = SyncFile.openByName(lockKind, file.boundName());
        return new SharedCondition(file, lockKind == SyncKind.MUTEX ? new SharedMutex(lockFile)
            : new SharedReentrantLock(lockFile));
    }

    /** @return the lock this condition is bound to. */
    public SharedLock lock() {
        return lock;
    }

    @Override
    public void await() throws InterruptedException {
        awaitNanosOrSignal(-1, true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            awaitNanosOrSignal(-1, false);
        } catch (final InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * @return an estimate of the time left ({@code nanosTimeout} minus the time waited); 0 or less when the timeout
     *     passed without a signal.
     */
    @Override
    public long awaitNanos(final long nanosTimeout) throws InterruptedException {
        final long startNs = System.nanoTime();
        final boolean signalled = awaitNanosOrSignal(Math.max(0, nanosTimeout), true);
        final long leftNs = nanosTimeout - (System.nanoTime() - startNs);
        return signalled ? Math.max(1, leftNs) : Math.min(0, leftNs);
    }

    /** @return false if the timeout passed without a signal. */
    @Override
    public boolean await(final long time, final TimeUnit unit) throws InterruptedException {
        return awaitNanosOrSignal(Math.max(0, unit.toNanos(time)), true);
    }

    /**
     * @param timeout the longest wait.
     * @return false if the timeout passed without a signal.
     * @throws InterruptedException if interrupted while waiting (the lock is held again when it is thrown).
     */
    public boolean await(final Duration timeout) throws InterruptedException {
        return await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean awaitUntil(final Date deadline) throws InterruptedException {
        return await(deadline.getTime() - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Wakes the waiter that has waited longest, if any.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     */
    @Override
    public void signal() {
        checkHeld("signal");
        signalOldest();
    }

    /**
     * Wakes every waiter.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     */
    @Override
    public void signalAll() {
        checkHeld("signal");
        for (int slot = 0; slot < slots; slot++) {
            long word;
            while (((word = memory.getLongVolatile(slotOffset(slot))) & STATE_MASK) == WAITING
                && !memory.compareAndSetLong(slotOffset(slot), word, (word & ~STATE_MASK) | SIGNALLED)) {
                Thread.onSpinWait();
            }
        }
    }

    /** @return how many threads (of all processes) wait now, signalled or not yet (a snapshot). */
    public int waiters() {
        int count = 0;
        for (int slot = 0; slot < slots; slot++) {
            count += (memory.getLongVolatile(slotOffset(slot)) & STATE_MASK) == WAITING ? 1 : 0;
        }
        return count;
    }

    /** @return how many signals were passed on from waiters that died with them, in all processes. */
    public long signalsPassedOn() {
        return memory.getLongVolatile(PASSED_ON);
    }

    /** @return how many threads can wait at once. */
    public int waiterSlots() {
        return slots;
    }

    /** @return the name others open this condition by. */
    public String name() {
        return file.name();
    }

    /** Deletes the condition's file in its creator; drops this handle elsewhere (not the lock's). Idempotent. */
    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        return "condition '" + name() + "' of " + lock;
    }

    @java.io.Serial
    private Object writeReplace() {
        return new SyncRef(file, lock.ref());
    }

    private boolean awaitNanosOrSignal(final long timeoutNs, final boolean interruptible) throws InterruptedException {
        checkHeld("await");
        file.checkOpen("await");
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException("interrupted before awaiting " + this);
        }
        final int slot = claimSlot();
        final RobustLockWord word = lock.word;
        final int holds = word.releaseAll();
        boolean signalled = false;
        boolean interrupted = false;
        boolean keptInterrupt = false;
        try {
            final long startNs = System.nanoTime();
            final long deadlineNs = startNs + timeoutNs;
            long nextJudgeNs = startNs + RobustLockWord.FIRST_LIVENESS_CHECK_NS;
            final Backoff backoff = new Backoff(spinBudget);
            final int at = slotOffset(slot);
            while (true) {
                if ((memory.getLongVolatile(at) & STATE_MASK) == SIGNALLED) {
                    backoff.woke();
                    signalled = true;
                    break;
                }
                final long nowNs = System.nanoTime();
                if (nowNs - nextJudgeNs >= 0) {
                    nextJudgeNs = nowNs + RobustLockWord.LIVENESS_CHECK_INTERVAL_NS;
                    freeSlotsOfDeadWaiters(slot);
                }
                if (timeoutNs >= 0 && nowNs - deadlineNs >= 0) {
                    signalled = !memory.compareAndSetLong(at, ownWord | WAITING, 0);
                    break;
                }
                if (timeoutNs >= 0) {
                    backoff.idleUntil(deadlineNs);
                } else {
                    backoff.idle();
                }
                if (Thread.interrupted()) {
                    if (!interruptible) {
                        keptInterrupt = true;
                    } else if (memory.compareAndSetLong(at, ownWord | WAITING, 0)) {
                        interrupted = true;
                        break;
                    } else {
                        keptInterrupt = true; // signalled meanwhile: return normally with the interrupt status set
                        signalled = true;
                        break;
                    }
                }
            }
            if (signalled) {
                memory.putLongVolatile(at, 0);
            }
        } finally {
            word.acquire(true, -1, false);
            word.restoreHolds(holds);
            if (keptInterrupt) {
                Thread.currentThread().interrupt();
            }
        }
        if (interrupted) {
            throw new InterruptedException("interrupted while awaiting " + this);
        }
        return signalled;
    }

    private int claimSlot() {
        for (int attempt = 0; attempt < 2; attempt++) {
            for (int slot = 0; slot < slots; slot++) {
                final int at = slotOffset(slot);
                if (memory.getLongVolatile(at) == 0 && memory.compareAndSetLong(at, 0, ownWord | CLAIMING)) {
                    memory.putLong(at + 8, memory.getAndAddLong(NEXT_TICKET, 1));
                    memory.putLongVolatile(at, ownWord | WAITING);
                    return slot;
                }
            }
            freeSlotsOfDeadWaiters(-1);
        }
        throw new IllegalStateException("condition '" + name() + "' has no free waiter slot: more than " + slots
            + " threads wait at once");
    }

    /** The body length of a condition: for the jcstress rig's in-memory conditions. */
    static final int BODY_LENGTH = 128 + DEFAULT_WAITER_SLOTS * SLOT_BYTES;

    /**
     * For the jcstress rig: puts a waiter into a slot as {@code await} leaves it.
     *
     * @return 2 if the slot says signalled, 1 waiting, 0 free.
     */
    int plantOrInspectSlot(final int slot, final long ownerWord, final long ticket, final int state) {
        if (state >= 0) {
            memory.putLong(slotOffset(slot) + 8, ticket);
            memory.putLongVolatile(slotOffset(slot), state == 0 ? 0 : ownerWord | (state == 2 ? SIGNALLED : WAITING));
        }
        final long word = memory.getLongVolatile(slotOffset(slot));
        return (word & STATE_MASK) == SIGNALLED ? 2 : (word & STATE_MASK) == WAITING ? 1 : 0;
    }

    /**
     * Frees the slots of dead processes; a signal one of them had received goes to the oldest live waiter.
     * Package-private for the jcstress rig.
     */
    void freeSlotsOfDeadWaiters(final int ownSlot) {
        for (int slot = 0; slot < slots; slot++) {
            final long word = memory.getLongVolatile(slotOffset(slot));
            if (slot == ownSlot || word == 0 || (word & OwnerStamp.OWNER_MASK) == ownWord
                || !liveness.isDead(word)) {
                continue;
            }
            if (memory.compareAndSetLong(slotOffset(slot), word, 0) && (word & STATE_MASK) == SIGNALLED) {
                memory.getAndAddLong(PASSED_ON, 1);
                signalOldest();
            }
        }
    }

    /** Marks the waiting slot with the lowest ticket signalled. @return false if none waits. */
    private boolean signalOldest() {
        while (true) {
            int oldest = -1;
            long oldestTicket = Long.MAX_VALUE;
            long oldestWord = 0;
            for (int slot = 0; slot < slots; slot++) {
                final long word = memory.getLongVolatile(slotOffset(slot));
                if ((word & STATE_MASK) == WAITING) {
                    final long ticket = memory.getLong(slotOffset(slot) + 8);
                    if (ticket < oldestTicket) {
                        oldest = slot;
                        oldestTicket = ticket;
                        oldestWord = word;
                    }
                }
            }
            if (oldest < 0) {
                return false;
            }
            if (memory.compareAndSetLong(slotOffset(oldest), oldestWord, (oldestWord & ~STATE_MASK) | SIGNALLED)) {
                return true;
            }
        }
    }

    private void checkHeld(final String what) {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("cannot " + what + " " + this + ": the calling thread does not hold"
                + " its lock");
        }
    }

    private static int slotOffset(final int slot) {
        return SLOTS + slot * SLOT_BYTES;
    }
}
