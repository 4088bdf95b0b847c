package dev.forklift.queue.internal;

import dev.forklift.shm.AtomicMemory;

import static dev.forklift.queue.internal.QueueDescriptor.ABANDONED_COUNT_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.CLOSED_BIT;
import static dev.forklift.queue.internal.QueueDescriptor.HEAD_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.SLOT_HOLDER_PID_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.SLOT_LENGTH_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.SLOT_SEQUENCE_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.TAIL_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.TORN_COUNT_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.TORN_LENGTH;

/**
 * Frees a slot whose holder died while holding it, so that a dead producer or consumer never wedges a queue for
 * the others (the rules are in {@link QueueDescriptor}). Called by waiting threads only, after the queue's repair
 * time; every repair is one CAS on the slot's sequence, so two waiters can never repair the same slot twice.
 */
final class HolderRepair {
    /** How many repair times a slot claimed with no holder pid yet must stay stuck before it is repaired. */
    static final int UNKNOWN_HOLDER_FACTOR = 10;

    private final AtomicMemory buffer;
    private final int slotCount;
    private final long repairAfterNs;
    private final HolderLiveness liveness;

    HolderRepair(final AtomicMemory buffer, final int slotCount, final long repairAfterNs,
        final HolderLiveness liveness) {
        this.buffer = buffer;
        this.slotCount = slotCount;
        this.repairAfterNs = repairAfterNs;
        this.liveness = liveness;
    }

    /** @return the repair time in nanoseconds; 0 or less disables repair. */
    long repairAfterNs() {
        return repairAfterNs;
    }

    /**
     * A consumer waits at {@code head}: if a producer claimed that slot and died before publishing it, publish it
     * as torn.
     *
     * @return true if this call repaired the slot.
     */
    boolean tearUnpublished(final long head, final int slot, final long stuckNs) {
        final long tail = buffer.getLongVolatile(TAIL_OFFSET) & ~CLOSED_BIT;
        if (tail <= head || !holderDead(slot, stuckNs)) {
            return false;
        }
        buffer.putInt(slot + SLOT_LENGTH_OFFSET, TORN_LENGTH);
        if (buffer.compareAndSetLong(slot + SLOT_SEQUENCE_OFFSET, head, head + 1)) {
            buffer.getAndAddLong(TORN_COUNT_OFFSET, 1);
            return true;
        }
        return false;
    }

    /**
     * A producer waits at {@code tail}: if a consumer claimed that slot in the previous lap and died before
     * releasing it, release it (its item died with the consumer).
     *
     * @return true if this call repaired the slot.
     */
    boolean releaseUnreleased(final long tail, final int slot, final long stuckNs) {
        final long previousLap = tail - slotCount;
        if (buffer.getLongVolatile(HEAD_OFFSET) <= previousLap || !holderDead(slot, stuckNs)) {
            return false;
        }
        buffer.putInt(slot + SLOT_HOLDER_PID_OFFSET, 0);
        if (buffer.compareAndSetLong(slot + SLOT_SEQUENCE_OFFSET, previousLap + 1, tail)) {
            buffer.getAndAddLong(ABANDONED_COUNT_OFFSET, 1);
            return true;
        }
        return false;
    }

    private boolean holderDead(final int slot, final long stuckNs) {
        final int pid = buffer.getIntVolatile(slot + SLOT_HOLDER_PID_OFFSET);
        if (pid == 0) {
            return stuckNs >= UNKNOWN_HOLDER_FACTOR * repairAfterNs;
        }
        return !liveness.isAlive(pid);
    }
}
