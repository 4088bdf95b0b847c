package dev.forklift.concurrency.sync;

import dev.forklift.shm.AtomicMemory;
import dev.forklift.sync.internal.LockWordLayout;
import dev.forklift.sync.internal.OwnerLiveness;
import dev.forklift.sync.internal.OwnerStamp;
import dev.forklift.sync.internal.RobustLockWord;

import java.nio.ByteBuffer;

/**
 * One lock block shared by several "processes" inside one JVM, for the jcstress tests of the robust lock word: each
 * role is a {@link RobustLockWord} over the same memory with an owner word of its own, and every role takes
 * {@link #TAKEN_FOR_DEAD} for dead, while an actor may still act as that owner (an owner wrongly taken for dead, the
 * worst case a takeover must survive). One instance per jcstress state.
 */
final class LockRig {
    /** The owner every role judges dead. */
    static final long TAKEN_FOR_DEAD = OwnerStamp.of(1001, 77);
    static final int BLOCK = 128;

    private final AtomicMemory memory = new AtomicMemory(ByteBuffer.allocateDirect(BLOCK + LockWordLayout.LENGTH));

    /** @return the lock word as seen by the "process" with this pid. */
    RobustLockWord as(final long pid) {
        final long own = pid == OwnerStamp.pid(TAKEN_FOR_DEAD) ? TAKEN_FOR_DEAD : OwnerStamp.of(pid, 77);
        return new RobustLockWord(memory, BLOCK, OwnerLiveness.playing(own, TAKEN_FOR_DEAD));
    }

    /** Leaves the word held by the dead owner, as a process killed while holding it leaves it. */
    void heldByDeadOwner() {
        memory.putLongVolatile(BLOCK + LockWordLayout.OWNER_WORD_OFFSET, TAKEN_FOR_DEAD);
        memory.putLongVolatile(BLOCK + LockWordLayout.OWNER_THREAD_OFFSET, 12345);
        memory.putIntVolatile(BLOCK + LockWordLayout.HOLD_COUNT_OFFSET, 1);
    }

    /** @return the pid holding the word, 0 when free. */
    int ownerPid() {
        return (int) OwnerStamp.pid(memory.getLongVolatile(BLOCK + LockWordLayout.OWNER_WORD_OFFSET));
    }

    /** @return how many takeovers were counted. */
    int ownerDeaths() {
        return (int) memory.getLongVolatile(BLOCK + LockWordLayout.OWNER_DEATHS_OFFSET);
    }

    /** @return 1 if released, 0 if the release was refused. */
    static int release(final RobustLockWord lock) {
        try {
            lock.release();
            return 1;
        } catch (final IllegalMonitorStateException refused) {
            return 0;
        }
    }

    /** Acquires, waiting as long as needed, never interrupted. */
    static int acquire(final RobustLockWord lock) {
        try {
            return lock.acquire(false, -1, false);
        } catch (final InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }
}
