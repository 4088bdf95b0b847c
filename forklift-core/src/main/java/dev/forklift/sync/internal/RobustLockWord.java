package dev.forklift.sync.internal;

import dev.forklift.shm.AtomicMemory;

import java.util.concurrent.TimeUnit;

import static dev.forklift.sync.internal.LockWordLayout.HOLD_COUNT_OFFSET;
import static dev.forklift.sync.internal.LockWordLayout.OWNER_DEATHS_OFFSET;
import static dev.forklift.sync.internal.LockWordLayout.OWNER_DIED_BIT;
import static dev.forklift.sync.internal.LockWordLayout.OWNER_THREAD_OFFSET;
import static dev.forklift.sync.internal.LockWordLayout.OWNER_WORD_OFFSET;

/**
 * A lock in shared memory that survives its holder's death: the protocol over one {@link LockWordLayout} block.
 *
 * <p>Acquire: CAS of the owner word from 0 to this process's owner word ({@link OwnerLiveness#ownWord()}: pid and
 * start stamp), then the holder writes its thread id (and a hold count of 1). Release: the holder checks that the
 * word and the thread id are its own, clears the thread id, and CASes the word back to 0; a CAS that fails means the
 * word was taken from this process while it held it (it was taken for dead), and the release throws without
 * touching the word. Reentry: the holding thread finds its own word and thread id and counts one more hold.
 *
 * <p>Takeover of a dead owner's word: a waiter that has waited {@link #FIRST_LIVENESS_CHECK_NS} looks at the
 * owner ({@link OwnerLiveness#isDead}: its pid is gone, a zombie, or reused by a process started at another time),
 * then again every {@link #LIVENESS_CHECK_INTERVAL_NS} while the word is held. A dead owner's word is taken with one
 * CAS from the exact word seen to this process's word with {@link LockWordLayout#OWNER_DIED_BIT}: of several
 * takers exactly one wins, and a word that changed in between (released, or taken by another) is not touched. The
 * winner's {@link #ACQUIRED_OWNER_DIED} is the robust mutex's {@code EOWNERDEAD}: the state the lock protected may
 * be half-updated, and the new holder can repair it. The flag stays in the word until that holder releases, so a
 * holder that dies while repairing passes the notice on. The owner deaths counter counts takeovers.
 *
 * <p>Waiting: {@link Backoff} (spin, yield, park with back-off): an idle waiter costs next to no CPU. Not fair: a
 * releasing process may take the word again before a parked waiter wakes.
 *
 * <p>Thread-safe, also across processes; the object holds no state besides the memory and the liveness.
 */
public final class RobustLockWord {
    /** Result of an acquire: not acquired (try or timeout). */
    public static final int NOT_ACQUIRED = 0;
    /** Result of an acquire: acquired a free word. */
    public static final int ACQUIRED = 1;
    /** Result of an acquire: acquired the word of a dead owner. */
    public static final int ACQUIRED_OWNER_DIED = 2;
    /** Result of an acquire: the calling thread held the word already, one more hold (reentrant only). */
    public static final int REENTERED = 3;

    /** How long a waiter waits before it first judges the owner. */
    public static final long FIRST_LIVENESS_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How often a waiter judges the owner after that. */
    public static final long LIVENESS_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AtomicMemory memory;
    private final int word;
    private final OwnerLiveness liveness;
    private final long ownWord;

    /**
     * @param memory   the file's memory.
     * @param offset   the offset of a {@link LockWordLayout} block, aligned to 8.
     * @param liveness this process's owner word and the liveness judgement.
     */
    public RobustLockWord(final AtomicMemory memory, final int offset, final OwnerLiveness liveness) {
        if ((offset & 7) != 0 || offset < 0 || offset + LockWordLayout.LENGTH > memory.capacityBytes()) {
            throw new IllegalArgumentException("lock block must be 8-aligned and inside the memory: offset=" + offset
                + " capacityBytes=" + memory.capacityBytes());
        }
        this.memory = memory;
        this.word = offset;
        this.liveness = liveness;
        this.ownWord = liveness.ownWord();
    }

    /**
     * Acquires now if the word is free, held by the calling thread (reentrant), or, with {@code judgeOwner}, held by a
     * dead owner. Never waits.
     *
     * @param reentrant  true to count another hold of the calling thread; false makes that a misuse.
     * @param judgeOwner true to judge the owner of a held word (reads {@code /proc}).
     * @return {@link #NOT_ACQUIRED}, {@link #ACQUIRED}, {@link #ACQUIRED_OWNER_DIED} or {@link #REENTERED}.
     * @throws IllegalMonitorStateException if not reentrant and the calling thread holds the word.
     */
    public int tryAcquire(final boolean reentrant, final boolean judgeOwner) {
        final long thread = threadKey();
        while (true) {
            final long seen = memory.getLongVolatile(word + OWNER_WORD_OFFSET);
            if (seen == 0) {
                if (memory.compareAndSetLong(word + OWNER_WORD_OFFSET, 0, ownWord)) {
                    hold(thread);
                    return ACQUIRED;
                }
            } else if (ownedBy(seen, thread)) {
                return reenter(reentrant);
            } else if (judgeOwner && (seen & OwnerStamp.OWNER_MASK) != ownWord && liveness.isDead(seen)) {
                if (memory.compareAndSetLong(word + OWNER_WORD_OFFSET, seen, ownWord | OWNER_DIED_BIT)) {
                    hold(thread);
                    memory.getAndAddLong(word + OWNER_DEATHS_OFFSET, 1);
                    return ACQUIRED_OWNER_DIED;
                }
            } else {
                return NOT_ACQUIRED;
            }
        }
    }

    /**
     * Acquires, waiting as long as needed or until the timeout, judging the owner while it waits.
     *
     * @param reentrant     as for {@link #tryAcquire}.
     * @param timeoutNs     the longest wait; negative waits for ever.
     * @param interruptible true to throw on interrupt; false to wait on and keep the interrupt status.
     * @return {@link #NOT_ACQUIRED} (timed out), {@link #ACQUIRED}, {@link #ACQUIRED_OWNER_DIED} or {@link #REENTERED}.
     * @throws InterruptedException         if interruptible and interrupted while waiting (nothing acquired).
     * @throws IllegalMonitorStateException if not reentrant and the calling thread holds the word.
     */
    public int acquire(final boolean reentrant, final long timeoutNs, final boolean interruptible)
        throws InterruptedException {
        if (memory.compareAndSetLong(word + OWNER_WORD_OFFSET, 0, ownWord)) {
            hold(threadKey());
            return ACQUIRED;
        }
        final int now = tryAcquire(reentrant, false);
        if (now != NOT_ACQUIRED || timeoutNs == 0) {
            return now;
        }
        return awaitWord(reentrant, timeoutNs, interruptible);
    }

    private int awaitWord(final boolean reentrant, final long timeoutNs, final boolean interruptible)
        throws InterruptedException {
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + timeoutNs;
        long nextJudgeNs = startNs + FIRST_LIVENESS_CHECK_NS;
        boolean interrupted = false;
        final Backoff backoff = new Backoff(true);
        try {
            while (true) {
                final long nowNs = System.nanoTime();
                final boolean judge = nowNs - nextJudgeNs >= 0;
                if (judge) {
                    nextJudgeNs = nowNs + LIVENESS_CHECK_INTERVAL_NS;
                }
                final int result = memory.getLongVolatile(word + OWNER_WORD_OFFSET) == 0 || judge
                    ? tryAcquire(reentrant, judge) : NOT_ACQUIRED;
                if (result != NOT_ACQUIRED) {
                    return result;
                }
                if (timeoutNs > 0 && nowNs - deadlineNs >= 0) {
                    return NOT_ACQUIRED;
                }
                if (timeoutNs > 0) {
                    backoff.idleUntil(deadlineNs);
                } else {
                    backoff.idle();
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException("interrupted while waiting for a shared lock");
                    }
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Releases one hold of the calling thread; the last hold frees the word.
     *
     * @return the hold count left (0: the word is free).
     * @throws IllegalMonitorStateException if the calling thread does not hold the word, or the word was taken from
     *                                      this process while it held it (it was taken for dead).
     */
    public int release() {
        final long thread = threadKey();
        final long seen = memory.getLongVolatile(word + OWNER_WORD_OFFSET);
        if (!ownedBy(seen, thread)) {
            throw notHeld(seen);
        }
        final int holds = memory.getInt(word + HOLD_COUNT_OFFSET);
        if (holds > 1) {
            memory.putInt(word + HOLD_COUNT_OFFSET, holds - 1);
            return holds - 1;
        }
        memory.putInt(word + HOLD_COUNT_OFFSET, 0);
        memory.putLong(word + OWNER_THREAD_OFFSET, 0);
        if (!memory.compareAndSetLong(word + OWNER_WORD_OFFSET, seen, 0)) {
            throw new IllegalMonitorStateException("the shared lock was taken from this process while it held it"
                + " (it was taken for dead); what it protected may have been changed by the new owner");
        }
        return 0;
    }

    /**
     * Releases every hold of the calling thread (a condition's wait does, and gives them back with
     * {@link #restoreHolds} once it has the word again).
     *
     * @return the hold count it had.
     * @throws IllegalMonitorStateException as {@link #release()}.
     */
    public int releaseAll() {
        final long seen = memory.getLongVolatile(word + OWNER_WORD_OFFSET);
        if (!ownedBy(seen, threadKey())) {
            throw notHeld(seen);
        }
        final int holds = memory.getInt(word + HOLD_COUNT_OFFSET);
        memory.putInt(word + HOLD_COUNT_OFFSET, 1);
        release();
        return holds;
    }

    /**
     * @param holds the hold count {@link #releaseAll()} returned; the calling thread holds the word again.
     */
    public void restoreHolds(final int holds) {
        if (isHeldByCurrentThread()) {
            memory.putInt(word + HOLD_COUNT_OFFSET, holds);
        }
    }

    /** Acquires for a few instructions of bookkeeping: waits for ever, keeps an interrupt for later. */
    public int acquireGuard() {
        try {
            return acquire(false, -1, false);
        } catch (final InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** @return true if the calling thread holds the word. */
    public boolean isHeldByCurrentThread() {
        return ownedBy(memory.getLongVolatile(word + OWNER_WORD_OFFSET), threadKey());
    }

    /** @return true if the calling thread holds the word and took it from a dead owner (or its holder did). */
    public boolean ownerDiedNoticeOfCurrentHold() {
        final long seen = memory.getLongVolatile(word + OWNER_WORD_OFFSET);
        return ownedBy(seen, threadKey()) && (seen & OWNER_DIED_BIT) != 0;
    }

    /** @return the owner word now (0: free), flags included. */
    public long ownerWord() {
        return memory.getLongVolatile(word + OWNER_WORD_OFFSET);
    }

    /** @return the pid of the holding process, 0 when free. */
    public long ownerPid() {
        return OwnerStamp.pid(ownerWord());
    }

    /** @return the calling thread's hold count (0 if it does not hold the word). */
    public int holdCountOfCurrentThread() {
        return isHeldByCurrentThread() ? memory.getInt(word + HOLD_COUNT_OFFSET) : 0;
    }

    /** @return how many times the word was taken from a dead owner, in all processes. */
    public long ownerDeaths() {
        return memory.getLongVolatile(word + OWNER_DEATHS_OFFSET);
    }

    /** @return this process's owner word. */
    public long ownWord() {
        return ownWord;
    }

    /**
     * The thread field's value for the calling thread: its id mixed with this process's owner word, so that a dead
     * owner's thread field left behind never equals a thread of the process that took its word.
     */
    private long threadKey() {
        return (Thread.currentThread().getId() + 1) * 0x9E3779B97F4A7C15L ^ ownWord;
    }

    private boolean ownedBy(final long seen, final long thread) {
        return (seen & OwnerStamp.OWNER_MASK) == ownWord
            && memory.getLongAcquire(word + OWNER_THREAD_OFFSET) == thread;
    }

    private void hold(final long thread) {
        memory.putInt(word + HOLD_COUNT_OFFSET, 1);
        memory.putLongRelease(word + OWNER_THREAD_OFFSET, thread);
    }

    private int reenter(final boolean reentrant) {
        if (!reentrant) {
            throw new IllegalMonitorStateException("this thread already holds this shared mutex; a mutex is not"
                + " reentrant (use a SharedReentrantLock)");
        }
        final int holds = memory.getInt(word + HOLD_COUNT_OFFSET);
        if (holds == Integer.MAX_VALUE) {
            throw new Error("maximum shared lock hold count exceeded");
        }
        memory.putInt(word + HOLD_COUNT_OFFSET, holds + 1);
        return REENTERED;
    }

    private IllegalMonitorStateException notHeld(final long seen) {
        return new IllegalMonitorStateException(seen == 0 ? "the shared lock is not held"
            : "the shared lock is held by pid " + OwnerStamp.pid(seen)
                + ((seen & OwnerStamp.OWNER_MASK) == ownWord ? " (another thread of this process)" : "") + ", not by the calling thread "
                + Thread.currentThread().getName());
    }
}
