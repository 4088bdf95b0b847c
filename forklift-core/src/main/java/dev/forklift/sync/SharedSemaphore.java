package dev.forklift.sync;

import dev.forklift.shm.AtomicMemory;
import dev.forklift.sync.internal.Backoff;
import dev.forklift.sync.internal.OwnerLiveness;
import dev.forklift.sync.internal.RobustLockWord;
import dev.forklift.sync.internal.SyncFile;
import dev.forklift.sync.internal.SyncFileLayout;
import dev.forklift.sync.internal.SyncKind;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore in shared memory whose permits come back when a process dies holding them: the counterpart
 * of Python's {@code multiprocessing.Semaphore} and {@code BoundedSemaphore} ({@link #createBounded}: a release
 * beyond the initial number of permits fails).
 *
 * <p><b>Who holds permits.</b> Each process's permits are counted in a table of holders in the semaphore's memory
 * (one row per process, up to {@value #HOLDER_ROWS} processes holding permits at once): a release by a process first
 * gives back its own permits. When a process dies, or exits without releasing, the permits it held come back: waiters
 * look at the holders after about 2 ms of waiting and then every 100 ms, and a dead holder's permits are made
 * available again ({@link #returnedPermits()} counts them). This makes the semaphore a limit on concurrent use
 * (connections, licences, memory). Do not use it to hand permits over between processes as signals that outlive the
 * process that acquired them (a queue or a {@link SharedEvent} is the tool for that): the permits a consumer process
 * acquired come back when it exits), or create the semaphore with {@link PermitsAtExit#CONSUMED}. A release by a
 * process that holds none adds a permit (counting semaphore) or fails beyond the bound (bounded).
 *
 * <p><b>A process that exits normally holding permits</b> ({@code System.exit}, or the end of its last non-daemon
 * thread: the JVM's shutdown hooks run) does what the semaphore was created with, for every handle of it that this
 * process acquired through and has not closed: {@link PermitsAtExit#RETURNED} (the default) gives them back at
 * once, from its shutdown hook, as a death would give them back within about 100 ms; {@link PermitsAtExit#CONSUMED}
 * keeps them acquired for good (its holder row is dropped, nothing comes back: Python's semaphore, where an acquire
 * is not undone by the exit of the process that made it). A process killed (or halted) has no exit hook: its
 * permits come back as with any death, whatever the setting.
 *
 * <p><b>A process that dies mid-update.</b> Every update is made under the semaphore's robust guard lock and written
 * to a redo record first (the new count, the holder row and its new count), then applied, then the record is cleared;
 * the next process that takes the guard from a dead holder applies the record again. So no permit is lost or
 * doubled by a death at any instruction.
 *
 * <p>Waiting spins, yields, then parks with back-off; every acquire has a timed form and is interruptible (but
 * {@link #acquireUninterruptibly}). Not fair. Thread-safe; {@code close()} as for {@link SharedLock}; serializable
 * as a reference.
 *
 * <pre>
 * Body (at SyncFileLayout.BODY_OFFSET; guarded by the header's guard lock)
 *  +---------------------------------------------------------------+
 *  |                     Available permits (64 bits)               | +0
 *  +---------------------------------------------------------------+
 *  |                     Redo pending (64 bits: 0 none, 1 pending) | +8
 *  +---------------------------------------------------------------+
 *  |                     Redo: available permits (64 bits)         | +16
 *  +---------------------------------------------------------------+
 *  |                     Redo: holder row index (64 bits)          | +24
 *  +---------------------------------------------------------------+
 *  |                     Redo: holder row owner word (64 bits)     | +32
 *  +---------------------------------------------------------------+
 *  |                     Redo: holder row permits (64 bits)        | +40
 *  +---------------------------------------------------------------+
 *  |                     Permits returned from dead holders        | +48
 *  +---------------------------------------------------------------+
 *  |   ... to +128 ...                                             |
 *  +---------------------------------------------------------------+
 *  | Holder rows, HOLDER_ROWS x 16 bytes: owner word, permits held | +128
 *  +---------------------------------------------------------------+
 *  Header parameter 1: the initial permits (the bound, for a bounded semaphore).
 * </pre>
 *
 * @serial exclude
 */
public final class SharedSemaphore implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;
    /** Processes that can hold permits at once. */
    public static final int HOLDER_ROWS = 128;
    private static final int AVAILABLE = SyncFileLayout.BODY_OFFSET;
    private static final int REDO_PENDING = AVAILABLE + 8;
    private static final int REDO_AVAILABLE = AVAILABLE + 16;
    private static final int REDO_ROW = AVAILABLE + 24;
    private static final int REDO_OWNER = AVAILABLE + 32;
    private static final int REDO_HELD = AVAILABLE + 40;
    private static final int RETURNED = AVAILABLE + 48;
    private static final int ROWS = AVAILABLE + 128;
    private static final int ROW_BYTES = 16;
    private static final int BODY_BYTES = 128 + HOLDER_ROWS * ROW_BYTES;

    private final transient SyncFile file;
    private final transient AtomicMemory memory;
    private final transient RobustLockWord guard;
    private final transient OwnerLiveness liveness;
    private final transient long ownWord;
    private final transient boolean bounded;
    private final transient int initialPermits;
    private final transient PermitsAtExit permitsAtExit;

    /** What becomes of the permits a process still holds when it exits normally; kept in the semaphore's memory. */
    public enum PermitsAtExit {
        /** Given back at the exit, as a dead holder's are (the default: the semaphore limits concurrent use). */
        RETURNED,
        /** Kept acquired: the exit does not undo the process's acquires (permits handed out as signals). */
        CONSUMED
    }

    SharedSemaphore(final SyncFile file) {
        this.file = file;
        this.memory = file.memory();
        this.guard = file.guard();
        this.liveness = file.liveness();
        this.ownWord = liveness.ownWord();
        this.bounded = file.kind() == SyncKind.BOUNDED_SEMAPHORE;
        this.initialPermits = file.param(1);
        this.permitsAtExit = PermitsAtExit.values()[file.param(2)];
    }

    /**
     * Creates a counting semaphore others can open by name.
     *
     * @param name    1 to 48 letters, digits, '-' or '_', unique among the live semaphores of this user; null for a
     *                fresh name.
     * @param permits the initial number of permits, not negative.
     * @return the semaphore, owned by this process.
     * @throws IllegalArgumentException if a value is bad (the message names it) or the name is taken.
     */
    public static SharedSemaphore create(final String name, final int permits) {
        return create(SyncKind.SEMAPHORE, name, permits, PermitsAtExit.RETURNED);
    }

    /**
     * Creates a counting semaphore and says what becomes of the permits a process holds when it exits normally.
     *
     * @param name          as for {@link #create(String, int)}.
     * @param permits       the initial number of permits, not negative.
     * @param permitsAtExit {@link PermitsAtExit#RETURNED} (as {@link #create(String, int)}) or
     *                      {@link PermitsAtExit#CONSUMED}; not null.
     * @return the semaphore, owned by this process.
     */
    public static SharedSemaphore create(final String name, final int permits, final PermitsAtExit permitsAtExit) {
        return create(SyncKind.SEMAPHORE, name, permits, permitsAtExit);
    }

    /**
     * Creates a bounded semaphore: a release that would make more than {@code permits} permits fails.
     *
     * @param name    as for {@link #create}.
     * @param permits the initial and largest number of permits, not negative.
     * @return the semaphore, owned by this process.
     */
    public static SharedSemaphore createBounded(final String name, final int permits) {
        return create(SyncKind.BOUNDED_SEMAPHORE, name, permits, PermitsAtExit.RETURNED);
    }

    /**
     * As {@link #createBounded(String, int)}, with what becomes of a normally exiting holder's permits.
     *
     * @param name          as for {@link #create(String, int)}.
     * @param permits       the initial and largest number of permits, not negative.
     * @param permitsAtExit as for {@link #create(String, int, PermitsAtExit)}.
     * @return the semaphore, owned by this process.
     */
    public static SharedSemaphore createBounded(final String name, final int permits,
        final PermitsAtExit permitsAtExit) {
        return create(SyncKind.BOUNDED_SEMAPHORE, name, permits, permitsAtExit);
    }

    /** The body length of a semaphore: for the jcstress rig's in-memory semaphores. */
    static final int BODY_LENGTH = BODY_BYTES;

    /** Sets the initial permits of an in-memory semaphore (jcstress rig). */
    static void initialiseBody(final AtomicMemory memory, final int permits) {
        memory.putLong(AVAILABLE, permits);
    }

    private static SharedSemaphore create(final SyncKind kind, final String name, final int permits,
        final PermitsAtExit permitsAtExit) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must not be negative: permits=" + permits);
        }
        if (permitsAtExit == null) {
            throw new IllegalArgumentException("permitsAtExit must not be null: permitsAtExit=null");
        }
        return new SharedSemaphore(SyncFile.create(kind, name, BODY_BYTES,
            new int[] {permits, permitsAtExit.ordinal()}, null, m -> m.putLong(AVAILABLE, permits)));
    }

    /**
     * Opens the live semaphore (counting or bounded) of this user with that name.
     *
     * @param name its name.
     * @return a handle.
     * @throws dev.forklift.ForkliftException if none has that name.
     */
    public static SharedSemaphore open(final String name) {
        try {
            return new SharedSemaphore(SyncFile.openByName(SyncKind.SEMAPHORE, name));
        } catch (final dev.forklift.ForkliftException notCounting) {
            return new SharedSemaphore(SyncFile.openByName(SyncKind.BOUNDED_SEMAPHORE, name));
        }
    }

    /** @throws InterruptedException if interrupted while waiting; nothing acquired then. */
    public void acquire() throws InterruptedException {
        acquire(1);
    }

    /**
     * @param permits how many, at least 1.
     * @throws InterruptedException if interrupted while waiting; nothing acquired then.
     */
    public void acquire(final int permits) throws InterruptedException {
        acquireNanos(permits, -1, true);
    }

    /** Acquires one permit, waiting as long as it takes; an interrupt is kept for later. */
    public void acquireUninterruptibly() {
        try {
            acquireNanos(1, -1, false);
        } catch (final InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** @return true if a permit was available now and is held by this process. */
    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    /**
     * @param permits how many, at least 1.
     * @return true if they were available now and are held by this process.
     */
    public boolean tryAcquire(final int permits) {
        checkPermits(permits);
        return take(permits);
    }

    /**
     * Acquires one permit, waiting at most the timeout.
     *
     * @param timeout the longest wait, in {@code unit}; zero or less tries once without waiting.
     * @param unit    the unit of {@code timeout}.
     * @return true if a permit was acquired within the timeout (and is held by this process), false if not.
     * @throws InterruptedException if interrupted while waiting; nothing acquired then.
     */
    public boolean tryAcquire(final long timeout, final TimeUnit unit) throws InterruptedException {
        return tryAcquire(1, timeout, unit);
    }

    /**
     * Acquires permits, all at once, waiting at most the timeout.
     *
     * @param permits how many, at least 1.
     * @param timeout the longest wait, in {@code unit}; zero or less tries once without waiting.
     * @param unit    the unit of {@code timeout}.
     * @return true if they were acquired within the timeout (and are held by this process), false if none were.
     * @throws IllegalArgumentException if {@code permits} is less than 1.
     * @throws InterruptedException     if interrupted while waiting; nothing acquired then.
     */
    public boolean tryAcquire(final int permits, final long timeout, final TimeUnit unit) throws InterruptedException {
        return acquireNanos(permits, Math.max(0, unit.toNanos(timeout)), true);
    }

    /**
     * @param timeout the longest wait.
     * @return true if a permit was acquired within it.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean tryAcquire(final Duration timeout) throws InterruptedException {
        return tryAcquire(1, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Releases one permit. */
    public void release() {
        release(1);
    }

    /**
     * Gives permits back: first those this process holds; beyond them, adds permits (counting) or fails (bounded).
     *
     * @param permits how many, at least 1.
     * @throws IllegalStateException if bounded and the release would make more permits than the bound.
     */
    public void release(final int permits) {
        checkPermits(permits);
        file.checkOpen("release a permit");
        lockGuard();
        try {
            final int row = findRow(false);
            final long held = row < 0 ? 0 : memory.getLong(rowOffset(row) + 8);
            final long available = memory.getLong(AVAILABLE);
            if (bounded && available + permits + heldByAll() - Math.min(held, permits) > initialPermits) {
                throw new IllegalStateException("bounded semaphore '" + name() + "' released beyond its bound: permits="
                    + permits + " available=" + available + " bound=" + initialPermits);
            }
            final long newHeld = Math.max(0, held - permits);
            update(available + permits, row, newHeld == 0 ? 0 : ownWord, newHeld);
        } finally {
            guard.release();
        }
    }

    /** @return the permits available now (a snapshot). */
    public int availablePermits() {
        return (int) memory.getLongVolatile(AVAILABLE);
    }

    /** @return the permits this process holds now. */
    public int heldByThisProcess() {
        lockGuard();
        try {
            final int row = findRow(false);
            return row < 0 ? 0 : (int) memory.getLong(rowOffset(row) + 8);
        } finally {
            guard.release();
        }
    }

    /** @return how many permits came back from processes that died (or exited) holding them, in all processes. */
    public long returnedPermits() {
        return memory.getLongVolatile(RETURNED);
    }

    /** @return what becomes of the permits a process holds when it exits normally. */
    public PermitsAtExit permitsAtExit() {
        return permitsAtExit;
    }

    /** @return true for a bounded semaphore. */
    public boolean isBounded() {
        return bounded;
    }

    /** @return the name others open this semaphore by. */
    public String name() {
        return file.name();
    }

    /** Deletes the semaphore's file in its creator; drops this handle elsewhere. Idempotent. */
    @Override
    public void close() {
        HELD_AT_EXIT.remove(this);
        file.close();
    }

    /** The handles this process acquired permits through, for its exit hook. */
    private static final java.util.Set<SharedSemaphore> HELD_AT_EXIT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SharedSemaphore::settlePermitsAtExit,
            "forklift-semaphore-exit"));
    }

    /** At a normal exit: gives back or drops, as each semaphore says, the permits this process still holds. */
    private static void settlePermitsAtExit() {
        for (final SharedSemaphore semaphore : HELD_AT_EXIT) {
            try {
                semaphore.settleOwnRow();
            } catch (final RuntimeException ex) {
                // Exiting: a dead holder's permits come back through the waiters' liveness checks anyway.
            }
        }
    }

    /** Under the guard: this process's row, given back (RETURNED) or dropped (CONSUMED). Package-private for tests. */
    void settleOwnRow() {
        lockGuard();
        try {
            final int row = findRow(false);
            if (row >= 0) {
                final long held = memory.getLong(rowOffset(row) + 8);
                final long available = memory.getLong(AVAILABLE);
                final boolean returned = permitsAtExit == PermitsAtExit.RETURNED;
                update(returned ? available + held : available, row, 0, 0);
                if (returned) {
                    memory.getAndAddLong(RETURNED, held);
                }
            }
        } finally {
            guard.release();
        }
    }

    @Override
    public String toString() {
        return file.kind().displayName() + " '" + name() + "' (" + availablePermits() + " of " + initialPermits
            + " available)";
    }

    @java.io.Serial
    private Object writeReplace() {
        return new SyncRef(file, null);
    }

    private boolean acquireNanos(final int permits, final long timeoutNs, final boolean interruptible)
        throws InterruptedException {
        checkPermits(permits);
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException("interrupted before acquiring from " + this);
        }
        if (take(permits)) {
            return true;
        }
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + timeoutNs;
        long nextJudgeNs = startNs + RobustLockWord.FIRST_LIVENESS_CHECK_NS;
        boolean interrupted = false;
        final Backoff backoff = new Backoff();
        try {
            while (true) {
                final long nowNs = System.nanoTime();
                if (nowNs - nextJudgeNs >= 0) {
                    nextJudgeNs = nowNs + RobustLockWord.LIVENESS_CHECK_INTERVAL_NS;
                    returnPermitsOfDeadHolders();
                }
                if (memory.getLongVolatile(AVAILABLE) >= permits && take(permits)) {
                    return true;
                }
                if (timeoutNs >= 0 && nowNs - deadlineNs >= 0) {
                    return false;
                }
                if (timeoutNs >= 0) {
                    backoff.idleUntil(deadlineNs);
                } else {
                    backoff.idle();
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException("interrupted while acquiring from " + this);
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

    private boolean take(final int permits) {
        file.checkOpen("acquire a permit");
        if (memory.getLongVolatile(AVAILABLE) < permits) {
            return false;
        }
        lockGuard();
        try {
            final long available = memory.getLong(AVAILABLE);
            if (available < permits) {
                return false;
            }
            final int row = findRow(true);
            if (row < 0) {
                throw new IllegalStateException("semaphore '" + name() + "' has no free holder row: more than "
                    + HOLDER_ROWS + " processes hold permits at once");
            }
            update(available - permits, row, ownWord, memory.getLong(rowOffset(row) + 8) + permits);
            if (file.hasFile()) { // not the jcstress rig's in-memory semaphores
                HELD_AT_EXIT.add(this);
            }
            return true;
        } finally {
            guard.release();
        }
    }

    /** Under the guard: gives the permits of dead holders back. Package-private for the jcstress rig. */
    void returnPermitsOfDeadHolders() {
        lockGuard();
        try {
            for (int row = 0; row < HOLDER_ROWS; row++) {
                final long owner = memory.getLong(rowOffset(row));
                if (owner != 0 && owner != ownWord && liveness.isDead(owner)) {
                    final long held = memory.getLong(rowOffset(row) + 8);
                    update(memory.getLong(AVAILABLE) + held, row, 0, 0);
                    memory.getAndAddLong(RETURNED, held);
                }
            }
        } finally {
            guard.release();
        }
    }

    /** Under the guard: the row of this process, or (with {@code claim}) a free one; -1 if none. */
    private int findRow(final boolean claim) {
        int free = -1;
        for (int row = 0; row < HOLDER_ROWS; row++) {
            final long owner = memory.getLong(rowOffset(row));
            if (owner == ownWord) {
                return row;
            }
            if (owner == 0 && free < 0) {
                free = row;
            }
        }
        return claim ? free : -1;
    }

    private long heldByAll() {
        long held = 0;
        for (int row = 0; row < HOLDER_ROWS; row++) {
            held += memory.getLong(rowOffset(row) + 8);
        }
        return held;
    }

    /** Under the guard: writes the redo record, applies it, clears it. A row of -1 changes the count only. */
    private void update(final long available, final int row, final long owner, final long held) {
        memory.putLong(REDO_AVAILABLE, available);
        memory.putLong(REDO_ROW, row);
        memory.putLong(REDO_OWNER, owner);
        memory.putLong(REDO_HELD, held);
        memory.putLongRelease(REDO_PENDING, 1);
        FaultPoints.whileUpdatingSemaphore();
        redo();
    }

    /** Applies the redo record (again, after a guard holder died) and clears it. Idempotent. */
    private void redo() {
        final int row = (int) memory.getLong(REDO_ROW);
        if (row >= 0) {
            memory.putLong(rowOffset(row) + 8, memory.getLong(REDO_HELD));
            memory.putLong(rowOffset(row), memory.getLong(REDO_OWNER));
        }
        memory.putLongVolatile(AVAILABLE, memory.getLong(REDO_AVAILABLE));
        memory.putLongRelease(REDO_PENDING, 0);
    }

    private void lockGuard() {
        if (guard.acquireGuard() == RobustLockWord.ACQUIRED_OWNER_DIED && memory.getLongAcquire(REDO_PENDING) != 0) {
            redo();
        }
    }

    private static int rowOffset(final int row) {
        return ROWS + row * ROW_BYTES;
    }

    private static void checkPermits(final int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1: permits=" + permits);
        }
    }
}
