package dev.forklift.queue.internal;

import dev.forklift.queue.QueueSlotRepairedException;
import dev.forklift.queue.WaitStrategy;
import dev.forklift.shm.AtomicMemory;

import java.nio.ByteBuffer;

import static dev.forklift.queue.internal.QueueDescriptor.SLOT_HEADER_LENGTH;

/**
 * One queue's memory shared by several "processes" inside one JVM, for the jcstress tests of the repair races: each
 * role is a {@link SlotRing} or a {@link HolderRepair} over the same memory with a pid of its own. Every repairer
 * takes {@link #TAKEN_FOR_DEAD_PID} for dead, while a test actor may still act as that holder (a holder wrongly taken
 * for dead, the worst case a repair must survive). The rings of the holders never repair anything themselves.
 *
 * <p>It lives in the queue's internal package, on the class path of this test module only, to reach the protocol's
 * package-private classes. One instance per jcstress state; its methods are called by the actors of that state.
 */
public final class RepairRig {
    /** The holder the repairers take for dead. */
    public static final int TAKEN_FOR_DEAD_PID = 1001;
    private static final int LIVE_PID = 3001;
    private static final int MAX_MESSAGE_BYTES = Integer.BYTES;
    /** Far past any repair time: the repairers act at once. */
    private static final long HELD_FOR_EVER_NS = Long.MAX_VALUE / 4;

    private final AtomicMemory memory;
    private final int slotCount;
    private final int slotStride;
    private final SlotRing takenForDead;
    private final SlotRing live;

    /** @param slotCount the number of slots, a power of two. */
    public RepairRig(final int slotCount) {
        this.slotCount = slotCount;
        this.slotStride = QueueDescriptor.slotStride(MAX_MESSAGE_BYTES);
        this.memory = new AtomicMemory(
            ByteBuffer.allocateDirect((int) QueueDescriptor.fileLength(slotCount, slotStride)));
        SlotRing.initialise(memory, slotCount, slotStride, MAX_MESSAGE_BYTES);
        this.takenForDead = ring(TAKEN_FOR_DEAD_PID);
        this.live = ring(LIVE_PID);
    }

    /** @return the position the holder taken for dead claimed to write, without publishing it. */
    public long claimToWriteAsTakenForDead() {
        return now(() -> takenForDead.claimForWrite(System.nanoTime()));
    }

    /** @return the position of the message the holder taken for dead claimed to read, without releasing it. */
    public long claimToReadAsTakenForDead() {
        return now(() -> takenForDead.claimMessageForRead(System.nanoTime()));
    }

    /** @return 1 if the holder taken for dead published {@code value} at its position, 0 if it was refused. */
    public int publishAsTakenForDead(final long position, final int value) {
        final int slot = takenForDead.slotOffset(position);
        memory.putInt(slot + SLOT_HEADER_LENGTH, value);
        try {
            takenForDead.publish(slot, position, Integer.BYTES);
            return 1;
        } catch (final QueueSlotRepairedException refused) {
            return 0;
        }
    }

    /** @return 1 if the holder taken for dead released its slot, 0 if it was refused. */
    public int releaseAsTakenForDead(final long position) {
        try {
            takenForDead.release(takenForDead.slotOffset(position), position);
            return 1;
        } catch (final QueueSlotRepairedException refused) {
            return 0;
        }
    }

    /** @return how many slots a repairer with this pid, waiting at {@code head}, published as torn. */
    public int tearAsRepairer(final int repairerPid, final long head) {
        return repairer(repairerPid).tearStuck(head, HELD_FOR_EVER_NS);
    }

    /** @return how many slots a repairer with this pid, waiting at {@code tail}, released. */
    public int releaseAsRepairer(final int repairerPid, final long tail) {
        return repairer(repairerPid).releaseStuck(tail, HELD_FOR_EVER_NS);
    }

    /** @return true if a live producer put {@code value} without waiting. */
    public boolean offer(final int value) {
        final long position = now(() -> live.claimForWrite(System.nanoTime()));
        if (position == SlotRing.NO_POSITION) {
            return false;
        }
        final int slot = live.slotOffset(position);
        memory.putInt(slot + SLOT_HEADER_LENGTH, value);
        live.publish(slot, position, Integer.BYTES);
        return true;
    }

    /** @return the next message a live consumer takes without waiting (skipping torn slots), 0 if none. */
    public int pollOrZero() {
        final long position = now(() -> live.claimMessageForRead(System.nanoTime()));
        if (position == SlotRing.NO_POSITION) {
            return 0;
        }
        final int slot = live.slotOffset(position);
        final int value = memory.getInt(slot + SLOT_HEADER_LENGTH);
        live.release(slot, position);
        return value;
    }

    /** @return the messages left, as decimal digits in order (messages are single digits), 0 when none. */
    public int drainDigits() {
        int digits = 0;
        int value;
        while ((value = pollOrZero()) != 0) {
            digits = digits * 10 + value;
        }
        return digits;
    }

    /** @return the torn-records counter. */
    public int tornCount() {
        return (int) live.tornCount();
    }

    /** @return the abandoned-reads counter. */
    public int abandonedCount() {
        return (int) live.abandonedCount();
    }

    /** A claim with a deadline of now: it never waits, so it is never interrupted. */
    private interface Claim {
        long claim() throws InterruptedException;
    }

    private static long now(final Claim claim) {
        try {
            return claim.claim();
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in a claim that does not wait", ex);
        }
    }

    private SlotRing ring(final int pid) {
        return new SlotRing(memory, "stress", WaitStrategy.busySpin(), new QueueTimeouts(0, 0), liveness(pid));
    }

    private HolderRepair repairer(final int pid) {
        return new HolderRepair(memory, slotCount, slotStride, 1, liveness(pid));
    }

    private static HolderLiveness liveness(final int pid) {
        return new HolderLiveness() {
            @Override
            public int ownPid() {
                return pid;
            }

            @Override
            public boolean isAlive(final int holderPid) {
                return holderPid != TAKEN_FOR_DEAD_PID;
            }
        };
    }
}
