package dev.forklift.queue.internal;

import dev.forklift.shm.AtomicMemory;

import static dev.forklift.queue.internal.QueueDescriptor.REPAIRING_BIT;
import static dev.forklift.queue.internal.QueueDescriptor.SLOT_SEQUENCE_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.TORN_BIT;

/**
 * The sequence word of a slot, as stored: a fresh queue's memory is all zeros, and a stored sequence whose value
 * (flags aside) is 0 stands for the slot's own index, its sequence before its first use. So creating a queue writes
 * no slot (it used to store slot {@code i}'s index in each, faulting in one page per slot: 256 pages of a 256 MiB
 * result queue, 15-140 ms of a pool's start on a shared machine); each slot's page is touched by its first
 * producer, which writes its message there anyway. A sequence equal to its slot's index occurs only before that
 * first use (every later one is the index plus a multiple of the slot count, or that plus one), so the mapping is
 * one to one.
 *
 * <p>Internal; not API. Stateless; every read and CAS of a slot's sequence goes through here.
 */
final class SlotSequence {
    private static final long FLAGS = REPAIRING_BIT | TORN_BIT;

    private SlotSequence() {
    }

    /**
     * @param buffer   the queue's memory.
     * @param slot     the slot's offset.
     * @param position a position that maps to this slot.
     * @param slotMask the slot count minus one.
     * @return the slot's sequence (with its flags), by a volatile read.
     */
    static long load(final AtomicMemory buffer, final int slot, final long position, final int slotMask) {
        return decode(buffer.getLongVolatile(slot + SLOT_SEQUENCE_OFFSET), (int) (position & slotMask));
    }

    /**
     * Sets the slot's sequence from {@code expected} to {@code next} by one CAS of the stored word.
     *
     * @return true if it was {@code expected}.
     */
    static boolean compareAndSet(final AtomicMemory buffer, final int slot, final long position, final int slotMask,
        final long expected, final long next) {
        final int index = (int) (position & slotMask);
        return buffer.compareAndSetLong(slot + SLOT_SEQUENCE_OFFSET, encode(expected, index), encode(next, index));
    }

    /** @return the sequence a stored word stands for in the slot of that index. */
    static long decode(final long stored, final int index) {
        return (stored & ~FLAGS) == 0 ? stored | index : stored;
    }

    /** @return the word stored for a sequence of the slot of that index. */
    static long encode(final long sequence, final int index) {
        return (sequence & ~FLAGS) == index ? sequence & FLAGS : sequence;
    }
}
