package dev.forklift.queue.internal;

import dev.forklift.shm.AtomicMemory;

import static dev.forklift.queue.internal.QueueDescriptor.ABANDONED_COUNT_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.ABORTED_COUNT_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.ABORTED_LENGTH;
import static dev.forklift.queue.internal.QueueDescriptor.NO_HOLDER;
import static dev.forklift.queue.internal.QueueDescriptor.REPAIRING_BIT;
import static dev.forklift.queue.internal.QueueDescriptor.SLOT_HOLDER_PID_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.SLOT_LENGTH_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.TORN_BIT;

/**
 * The holder's side of the slot protocol ({@link QueueDescriptor}): what a process does with a slot it has just
 * claimed on the {@link SlotRing}. It stamps its pid into the slot, having checked before and after that the slot is
 * still the one it claimed, and hands the slot on with one CAS of its sequence (publish: {@code p} to {@code p + 1};
 * release: {@code p + 1} to {@code p + slotCount}). Each of these finds out, and then writes nothing, when a repair
 * took the slot because another process took this one for dead (see {@link HolderRepair}): the sequence has moved
 * on or carries {@link QueueDescriptor#REPAIRING_BIT}, and this class never stores a sequence over it.
 *
 * <p>Thread-safe, also across processes; no state of its own. Called by the {@link SlotRing} only, for slots the
 * calling thread claimed.
 */
final class SlotHandover {
    private final AtomicMemory buffer;
    private final int slotCount;
    private final int slotMask;
    private final int slotStride;
    private final int ownPid;

    /**
     * @param buffer     the queue's memory.
     * @param slotCount  its number of slots.
     * @param slotStride the distance between slots.
     * @param ownPid     the pid this process stamps.
     */
    SlotHandover(final AtomicMemory buffer, final int slotCount, final int slotStride, final int ownPid) {
        this.buffer = buffer;
        this.slotCount = slotCount;
        this.slotMask = slotCount - 1;
        this.slotStride = slotStride;
        this.ownPid = ownPid;
    }

    /**
     * Sets the length and publishes a slot claimed for writing, by CAS of its sequence from the position to the
     * position + 1.
     *
     * @return false, having written nothing, if the slot was repaired: its sequence moved on or is flagged.
     */
    boolean tryPublish(final int slot, final long position, final int length) {
        if (SlotSequence.load(buffer, slot, position, slotMask) != position) {
            disown(slot, position);
            return false;
        }
        buffer.putInt(slot + SLOT_LENGTH_OFFSET, length);
        if (length == ABORTED_LENGTH) {
            buffer.getAndAddLong(ABORTED_COUNT_OFFSET, 1);
        }
        buffer.putIntRelease(slot + SLOT_HOLDER_PID_OFFSET, NO_HOLDER);
        if (SlotSequence.compareAndSet(buffer, slot, position, slotMask, position, position + 1)) {
            return true;
        }
        if (length == ABORTED_LENGTH) {
            buffer.getAndAddLong(ABORTED_COUNT_OFFSET, -1); // torn by the repair, not aborted
        }
        return false;
    }

    /**
     * Releases a slot claimed for reading (torn or not) to producers of the next lap, by CAS of its sequence from
     * the position + 1 to the position + slotCount.
     *
     * @return false, having written nothing, if the slot was repaired: its sequence moved on or is flagged.
     */
    boolean tryRelease(final int slot, final long position) {
        final long sequence = SlotSequence.load(buffer, slot, position, slotMask); // torn or not
        if ((sequence & ~TORN_BIT) != position + 1) {
            disown(slot, position + 1);
            return false;
        }
        buffer.putIntRelease(slot + SLOT_HOLDER_PID_OFFSET, NO_HOLDER);
        return SlotSequence.compareAndSet(buffer, slot, position, slotMask, sequence, position + slotCount);
    }

    /**
     * Marks a slot just claimed as held by this process, so that others can tell when its holder died; the slot
     * must still have the sequence it was claimed with, before and after the stamp. It has not only if this claimer
     * was stopped between its claim and its stamp for twice the repair time and a repair took the slot: then the
     * slot is not this claimer's any more, and it writes nothing into it.
     *
     * @param position the position claimed.
     * @param claimed  the sequence the slot had when claimed.
     * @return true if the slot is held by this process.
     */
    boolean hold(final long position, final long claimed) {
        final int slot = slotOffset(position);
        if (SlotSequence.load(buffer, slot, position, slotMask) != claimed) {
            return false;
        }
        buffer.putIntRelease(slot + SLOT_HOLDER_PID_OFFSET, ownPid);
        if (SlotSequence.load(buffer, slot, position, slotMask) == claimed) {
            return true;
        }
        disown(slot, claimed & ~TORN_BIT);
        return false;
    }

    /**
     * Stamps the slots of a run just claimed for writing, in order.
     *
     * @return how many of its first slots this process holds: all of them, unless a repair took one before it was
     *         stamped (see {@link #hold}); the slots after that one are published as aborted.
     */
    int holdWriteRun(final long first, final int length) {
        for (int i = 0; i < length; i++) {
            FaultPoints.whileStampingWriteRun(i);
            if (!hold(first + i, first + i)) {
                for (int rest = i + 1; rest < length; rest++) {
                    tryPublish(slotOffset(first + rest), first + rest, ABORTED_LENGTH);
                }
                return i;
            }
        }
        return length;
    }

    /**
     * Stamps the slots of a run just claimed for reading, in order.
     *
     * @return how many of its first slots this process holds: all of them, unless a repair took one before it was
     *         stamped (its item counted as abandoned); the slots after that one are released, counted the same.
     */
    int holdReadRun(final long first, final int length) {
        for (int i = 0; i < length; i++) {
            final int slot = slotOffset(first + i);
            final long sequence = SlotSequence.load(buffer, slot, first + i, slotMask); // torn or not
            if ((sequence & ~TORN_BIT) != first + i + 1 || !hold(first + i, sequence)) {
                for (int rest = i + 1; rest < length; rest++) {
                    if (tryRelease(slotOffset(first + rest), first + rest)) {
                        buffer.getAndAddLong(ABANDONED_COUNT_OFFSET, 1);
                    }
                }
                return i;
            }
        }
        return length;
    }

    /**
     * After finding its slot repaired: takes this process's pid out of the holder field if it is still there and
     * the repair of this position has not ended, so that the repairer (or one taking over from it) is not
     * taken for alive on this process's account.
     *
     * @param held the sequence of the slot while held, without flags.
     */
    private void disown(final int slot, final long held) {
        final long sequence = SlotSequence.load(buffer, slot, (slot - QueueDescriptor.HEADER_LENGTH) / slotStride,
            slotMask);
        if ((sequence & REPAIRING_BIT) != 0 && (sequence & ~(REPAIRING_BIT | TORN_BIT)) == held) {
            buffer.compareAndSetInt(slot + SLOT_HOLDER_PID_OFFSET, ownPid, NO_HOLDER);
        }
    }

    private int slotOffset(final long position) {
        return QueueDescriptor.slotOffset(position, slotMask, slotStride);
    }
}
