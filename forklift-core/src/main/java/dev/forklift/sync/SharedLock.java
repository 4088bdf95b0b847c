package dev.forklift.sync;

import dev.forklift.sync.internal.OwnerStamp;
import dev.forklift.sync.internal.RobustLockWord;
import dev.forklift.sync.internal.SyncFile;

import java.io.Serializable;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A lock in shared memory that processes take in turn, and that survives the death of its holder: the common type of
 * {@link SharedMutex} and {@link SharedReentrantLock}. A {@link Lock}: threads of any process that has the lock
 * (its creator, a child it was passed to as an argument, an unrelated JVM of the same user that opened it by name)
 * exclude each other.
 *
 * <p><b>When a holder dies.</b> A process killed while it holds the lock (also {@code kill -9}, also while it holds
 * a reentrant lock several times) does not wedge it: waiters look at the holder after about 2 ms of waiting and then
 * every 100 ms, and once it is dead (its pid gone, a zombie, or reused by a process started at another time) one of
 * them takes the lock over. That new holder is told, as a robust POSIX mutex's {@code EOWNERDEAD} tells it:
 * {@link #previousOwnerDied()} is true until it unlocks, so it can repair what the lock protected, which the dead
 * holder may have left half-updated:
 * <pre>{@code
 * lock.lock();
 * try {
 *     if (lock.previousOwnerDied()) {
 *         repairAccounts();          // the dead holder may have stopped half-way
 *     }
 *     transfer(from, to, amount);
 * } finally {
 *     lock.unlock();
 * }
 * }</pre>
 * A holder that dies while repairing passes the notice on to the next one. {@link #ownerDeaths()} counts the
 * takeovers. In a file shared across pid namespaces (containers sharing {@code /dev/shm}) no pid is judged, so a dead
 * holder's lock stays held there.
 *
 * <p>Waiting spins, yields, then parks with back-off (1 us to 1 ms, 10 ms after 200 ms): an idle waiter costs next
 * to no CPU; a hand-over under traffic takes microseconds. Not fair. Every wait has a timed form; all but
 * {@link #lock()} are interruptible.
 *
 * <p><b>Life cycle.</b> {@code close()} in the creating process deletes the file (processes that have it open keep
 * using it; no new one can open it); elsewhere it only drops this handle. Idempotent. The file is reclaimed after
 * its creator died, as a queue's. Thread-safe. Serializable as a small reference that re-opens the same lock where
 * it is read.
 *
 * @serial exclude
 */
public abstract sealed class SharedLock implements Lock, AutoCloseable, Serializable permits SharedMutex,
    SharedReentrantLock {
    private static final long serialVersionUID = 1L;

    final transient SyncFile file;
    final transient RobustLockWord word;
    private final transient boolean reentrant;

    SharedLock(final SyncFile file, final boolean reentrant) {
        this.file = file;
        this.word = file.guard();
        this.reentrant = reentrant;
    }

    /** Acquires the lock, waiting as long as it takes; an interrupt is kept for later, not thrown. */
    @Override
    public void lock() {
        try {
            acquired(word.acquire(reentrant, -1, false));
        } catch (final InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Acquires the lock unless interrupted first.
     *
     * @throws InterruptedException if interrupted while waiting; the lock is not held then.
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before taking " + this);
        }
        acquired(word.acquire(reentrant, -1, true));
    }

    /**
     * Acquires the lock if it is free now (or held by the calling thread, for a reentrant lock). Does not judge the
     * holder: a dead holder's lock is taken over by a waiting acquire, or by {@link #tryLock(long, TimeUnit)} with a
     * timeout of a few milliseconds or more.
     *
     * @return true if the calling thread holds the lock now.
     */
    @Override
    public boolean tryLock() {
        return acquired(word.tryAcquire(reentrant, false));
    }

    /**
     * Acquires the lock within the timeout.
     *
     * @return true if acquired, false if the timeout passed.
     * @throws InterruptedException if interrupted while waiting; the lock is not held then.
     */
    @Override
    public boolean tryLock(final long time, final TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before taking " + this);
        }
        return acquired(word.acquire(reentrant, Math.max(0, unit.toNanos(time)), true));
    }

    /**
     * @param timeout the longest wait.
     * @return true if acquired.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean tryLock(final Duration timeout) throws InterruptedException {
        return tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Releases one hold (the last hold of a reentrant lock frees it).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock, or the lock was taken from
     *                                      this process while it held it (it was taken for dead).
     */
    @Override
    public void unlock() {
        word.release();
    }

    /**
     * The robust mutex's {@code EOWNERDEAD}: whether the calling thread holds the lock because it took it over from
     * a process that died holding it (or from a holder that took it over so and died before unlocking). What the lock
     * protects may be half-updated: repair it before use. True until the calling thread unlocks.
     *
     * @return true if the calling thread holds the lock and its previous owner died holding it.
     */
    public boolean previousOwnerDied() {
        return word.ownerDiedNoticeOfCurrentHold();
    }

    /** @return true if the calling thread holds the lock. */
    public boolean isHeldByCurrentThread() {
        return word.isHeldByCurrentThread();
    }

    /** @return true if some thread of some process holds the lock now (a snapshot). */
    public boolean isLocked() {
        return word.ownerWord() != 0;
    }

    /** @return the pid of the process holding the lock now, empty when free (a snapshot). */
    public OptionalLong ownerPid() {
        final long pid = OwnerStamp.pid(word.ownerWord());
        return pid == 0 ? OptionalLong.empty() : OptionalLong.of(pid);
    }

    /** @return how many times, in all processes, the lock was taken over from a holder that died holding it. */
    public long ownerDeaths() {
        return word.ownerDeaths();
    }

    /**
     * Makes a condition bound to this lock, in shared memory, with a fresh name (see {@link SharedCondition#create}
     * for one that others open by name).
     *
     * @return the condition, owned by this process.
     */
    @Override
    public SharedCondition newCondition() {
        return SharedCondition.create(null, this);
    }

    /** @return the name others open this lock by. */
    public String name() {
        return file.name();
    }

    /** Deletes the lock's file in its creator; drops this handle elsewhere. Idempotent; never blocks. */
    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        final long owner = word.ownerWord();
        return file.kind().displayName() + " '" + name() + "' (" + (owner == 0 ? "free"
            : "held by pid " + OwnerStamp.pid(owner)) + ")";
    }

    SyncRef ref() {
        return new SyncRef(file, null);
    }

    @java.io.Serial
    Object writeReplace() {
        return ref();
    }

    private boolean acquired(final int result) {
        return result != RobustLockWord.NOT_ACQUIRED;
    }
}
