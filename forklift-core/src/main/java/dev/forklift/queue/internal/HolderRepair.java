package dev.forklift.queue.internal;

import dev.forklift.shm.AtomicMemory;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.forklift.queue.internal.QueueDescriptor.ABANDONED_COUNT_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.CLOSED_BIT;
import static dev.forklift.queue.internal.QueueDescriptor.HEAD_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.NO_HOLDER;
import static dev.forklift.queue.internal.QueueDescriptor.REPAIRED_HOLDER;
import static dev.forklift.queue.internal.QueueDescriptor.REPAIRING_BIT;
import static dev.forklift.queue.internal.QueueDescriptor.SLOT_HOLDER_PID_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.TAIL_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.TORN_COUNT_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.TORN_BIT;

/**
 * Frees the slots of a holder that died holding them, so that a dead producer or consumer never wedges a queue for
 * the others: an unpublished slot is published as torn, an unreleased one is released for the next lap. The rules
 * are in {@link QueueDescriptor}; in short, a repairer first takes the slot with one CAS of its sequence from the
 * stuck value to the same value with {@link QueueDescriptor#REPAIRING_BIT} (sequences never repeat, so that CAS
 * cannot succeed on a later lap, and exactly one of the repairers and the holder wins it), then puts its own pid in
 * the holder field by CAS, then writes, then stores the next sequence by CAS. A repairer that dies in the middle
 * leaves a flagged slot that the next repairer takes over once that repairer is dead too.
 *
 * <p>Once a holder is found dead, the rest of its run goes with it: the following positions whose slots are
 * stuck in the same state and carry the same pid are repaired in the same call, and so are stuck slots without a
 * pid right after them (the dead holder claimed them with one CAS but died before stamping them), once they stay
 * without a pid for a short grace ({@link #stampGraceNs}).
 *
 * <p>Called by waiting threads of any process ({@link SlotRing}), after their stall watch saw a slot held for the
 * queue's repair time, and by {@link SharedQueue#repairSlotsHeldBy} for a process known to be dead. Thread-safe
 * and lock-free; only the grace wait for unstamped slots blocks (at most {@link #MAX_STAMP_GRACE_NS}).
 */
final class HolderRepair {
    /**
     * How many repair times a claimed slot whose holder never wrote its pid must stay stuck before it is repaired:
     * a claimer stamps within a few instructions of its claim, so such a slot belongs to a process that died in
     * between, or to one stopped right there (which finds the slot repaired when it resumes and claims again).
     */
    static final int UNKNOWN_HOLDER_FACTOR = 2;
    /** Longest wait for a slot without a pid, after its run's holder was found dead, before it counts as dead. */
    static final long MAX_STAMP_GRACE_NS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How far past the last slot repaired for a dead pid the run repair looks for more of its slots. */
    private static final int RUN_REACH = ClaimedRun.MAX_LENGTH;

    private final AtomicMemory buffer;
    private final int slotCount;
    private final int slotMask;
    private final int slotStride;
    private final long repairAfterNs;
    private final HolderLiveness liveness;
    private final int ownPid;
    private final String queueName;

    /**
     * @param buffer        the queue's memory.
     * @param slotCount     its number of slots.
     * @param slotStride    the distance between slots.
     * @param repairAfterNs the queue's repair time; 0 or less disables the repairs of waiters.
     * @param liveness      this process's pid and the liveness check.
     */
    HolderRepair(final AtomicMemory buffer, final int slotCount, final int slotStride, final long repairAfterNs,
        final HolderLiveness liveness) {
        this(buffer, slotCount, slotStride, repairAfterNs, liveness, null);
    }

    /** As {@link #HolderRepair(AtomicMemory, int, int, long, HolderLiveness)}, naming the queue in its events. */
    HolderRepair(final AtomicMemory buffer, final int slotCount, final int slotStride, final long repairAfterNs,
        final HolderLiveness liveness, final String queueName) {
        this.queueName = queueName;
        this.buffer = buffer;
        this.slotCount = slotCount;
        this.slotMask = slotCount - 1;
        this.slotStride = slotStride;
        this.repairAfterNs = repairAfterNs;
        this.liveness = liveness;
        this.ownPid = liveness.ownPid();
    }

    /** @return the repair time in nanoseconds; 0 or less disables repair. */
    long repairAfterNs() {
        return repairAfterNs;
    }

    /**
     * A consumer waits at {@code head}, whose slot a producer claimed and has not published for {@code heldNs}: if
     * that producer is dead, publish the slot as torn, and with it the rest of the dead producer's stuck slots.
     *
     * @return how many slots this call repaired.
     */
    int tearStuck(final long head, final long heldNs) {
        final long tail = buffer.getLongVolatile(TAIL_OFFSET) & ~CLOSED_BIT;
        if (tail <= head) {
            return 0;
        }
        return repairStuck(Kind.TEAR, head, heldNs, tail);
    }

    /**
     * A producer waits at {@code tail}, whose slot a consumer of the previous lap claimed and has not released for
     * {@code heldNs}: if that consumer is dead, release the slot (its item died with it), and with it the rest of
     * the dead consumer's stuck slots.
     *
     * @return how many slots this call repaired.
     */
    int releaseStuck(final long tail, final long heldNs) {
        final long previousLap = tail - slotCount;
        final long head = buffer.getLongVolatile(HEAD_OFFSET);
        if (previousLap < 0 || head <= previousLap) {
            return 0;
        }
        return repairStuck(Kind.RELEASE, previousLap, heldNs, head);
    }

    /**
     * Repairs at once every slot the given process holds: its unpublished slots are published as torn, its
     * unreleased ones released, slots that a repairer with this pid had begun to repair are finished. The caller
     * knows the process is dead (it reaped it); no repair time is waited.
     *
     * @param pid a dead process.
     * @return how many slots were repaired.
     */
    int repairHeldBy(final int pid) {
        final long tail = buffer.getLongVolatile(TAIL_OFFSET) & ~CLOSED_BIT;
        final long head = buffer.getLongVolatile(HEAD_OFFSET);
        final PendingSlots unstamped = new PendingSlots();
        int repaired = 0;
        boolean afterDeadSlot = false;
        // Every claimed position lies in [tail - slotCount, tail): released or not below the head, published or not
        // above it. Each slot is looked at once, in position order, so that unstamped slots right after the dead
        // process's own can be told apart.
        for (long position = Math.max(0, tail - slotCount); position < tail; position++) {
            final Kind kind = position < head ? Kind.RELEASE : Kind.TEAR;
            final int slot = slotOffset(position);
            final long sequence = SlotSequence.load(buffer, slot, position, slotCount - 1);
            final int holder = buffer.getIntVolatile(slot + SLOT_HOLDER_PID_OFFSET);
            if (kind.isStuck(position, sequence) && holder == pid) {
                afterDeadSlot = repair(kind, position, sequence, holder);
                repaired += afterDeadSlot ? 1 : 0;
            } else if (kind.isFlagged(position, sequence) && holder == pid) {
                afterDeadSlot = finish(kind, position, sequence, holder);
                repaired += afterDeadSlot ? 1 : 0;
            } else if (kind.isStuck(position, sequence) && holder <= NO_HOLDER && afterDeadSlot) {
                unstamped.add(kind, position);
            } else {
                afterDeadSlot = false;
            }
        }
        return repaired + repairUnstamped(unstamped);
    }

    /**
     * Repairs the stuck slot at {@code position} if its holder is dead (or the repairer that began to repair it
     * is), then the rest of the dead holder's run up to {@code end}.
     */
    private int repairStuck(final Kind kind, final long position, final long heldNs, final long end) {
        final int slot = slotOffset(position);
        final long sequence = SlotSequence.load(buffer, slot, position, slotCount - 1);
        final int holder = buffer.getIntVolatile(slot + SLOT_HOLDER_PID_OFFSET);
        final boolean repaired;
        if (kind.isStuck(position, sequence)) {
            repaired = holderDead(holder, heldNs) && repair(kind, position, sequence, holder);
        } else if (kind.isFlagged(position, sequence)) {
            // A repair began and did not end: its repairer (or the original holder, if it had not yet taken the
            // holder field) is the one to be dead.
            repaired = holderDead(holder, heldNs) && finish(kind, position, sequence, holder);
        } else {
            return 0;
        }
        return repaired ? 1 + repairRestOfRun(kind, position + 1, end, holder) : 0;
    }

    /**
     * After a slot of {@code deadPid} was repaired, repairs the following slots up to {@code end} that are stuck
     * in the same state and held by it, and those without a pid that come right after one of them (after a grace).
     * When the repaired slot named no pid (it was never stamped, or this call took over a repair whose repairer had
     * already marked the holder field), the first dead pid found right after it is taken as the run's. Stops
     * {@link #RUN_REACH} positions past the last slot of the dead pid.
     */
    private int repairRestOfRun(final Kind kind, final long from, final long end, final int deadPid) {
        final PendingSlots unstamped = new PendingSlots();
        int runPid = deadPid;
        int repaired = 0;
        boolean afterDeadSlot = true;
        long lastDeadSlot = from - 1;
        for (long position = from; position < end && position - lastDeadSlot <= RUN_REACH; position++) {
            final int slot = slotOffset(position);
            final long sequence = SlotSequence.load(buffer, slot, position, slotCount - 1);
            if (!kind.isStuck(position, sequence)) {
                afterDeadSlot = false;
                continue;
            }
            final int holder = buffer.getIntVolatile(slot + SLOT_HOLDER_PID_OFFSET);
            if (holder > NO_HOLDER && runPid <= NO_HOLDER && afterDeadSlot && holderDead(holder, 0)) {
                runPid = holder;
            }
            if (holder == runPid && holder > NO_HOLDER) {
                afterDeadSlot = repair(kind, position, sequence, holder);
                if (afterDeadSlot) {
                    repaired++;
                    lastDeadSlot = position;
                }
            } else if (holder <= NO_HOLDER && afterDeadSlot) {
                unstamped.add(kind, position);
                lastDeadSlot = position;
            } else {
                afterDeadSlot = false;
            }
        }
        return repaired + repairUnstamped(unstamped);
    }

    /**
     * Repairs the slots without a pid that came right after a dead holder's: they were claimed in the same run (or
     * by a live claimer in the few instructions before its stamp); those still without a pid after the grace are
     * dead. A live claimer that stamps late finds its slot repaired and claims another (see {@link SlotRing}).
     */
    private int repairUnstamped(final PendingSlots unstamped) {
        if (unstamped.size == 0) {
            return 0;
        }
        final long graceEndNs = System.nanoTime() + stampGraceNs();
        for (long leftNs = stampGraceNs(); leftNs > 0; leftNs = graceEndNs - System.nanoTime()) {
            LockSupport.parkNanos(leftNs); // the whole grace, also if woken early
        }
        int repaired = 0;
        for (int i = 0; i < unstamped.size; i++) {
            final long position = unstamped.positions[i];
            final Kind kind = unstamped.kinds[i];
            final int slot = slotOffset(position);
            final long sequence = SlotSequence.load(buffer, slot, position, slotCount - 1);
            final int holder = buffer.getIntVolatile(slot + SLOT_HOLDER_PID_OFFSET);
            if (kind.isStuck(position, sequence) && holder <= NO_HOLDER && repair(kind, position, sequence, holder)) {
                repaired++;
            }
        }
        return repaired;
    }

    /** The grace of an unstamped slot: a tenth of the repair time, at most {@link #MAX_STAMP_GRACE_NS}. */
    private long stampGraceNs() {
        return repairAfterNs > 0 ? Math.min(MAX_STAMP_GRACE_NS, repairAfterNs / 10) : MAX_STAMP_GRACE_NS;
    }

    /**
     * Takes the slot of a stuck position (observed {@code sequence} and {@code holder}) from its holder with one
     * CAS of the sequence to the same value flagged, then finishes the repair.
     *
     * @return true if this call repaired the slot.
     */
    private boolean repair(final Kind kind, final long position, final long sequence, final int holder) {
        final int slot = slotOffset(position);
        return SlotSequence.compareAndSet(buffer, slot, position, slotCount - 1, sequence, sequence | REPAIRING_BIT)
            && finish(kind, position, sequence | REPAIRING_BIT, holder);
    }

    /**
     * Finishes the repair of a flagged slot. Takes the holder field by CAS, from the observed holder or from
     * {@link QueueDescriptor#NO_HOLDER} (a holder taken for dead clears it on its way to a publish or release that
     * will fail); finds the slot still flagged (else another repairer ended the repair while this one was away:
     * it gives the field back); puts {@link QueueDescriptor#REPAIRED_HOLDER} in the holder field; stores the next
     * sequence by CAS (for a tear, the next position with {@link QueueDescriptor#TORN_BIT}: the length field is
     * never written, so a holder taken for dead that still writes its length cannot make the slot a message). A
     * repairer that finds any other value in the holder field backs off: a repairer that took over from it (taken
     * for dead itself), one about to end the repair, or a claimer that stamped late and will find its slot flagged
     * (see {@link SlotHandover}).
     *
     * @return true if this call ended the repair.
     */
    private boolean finish(final Kind kind, final long position, final long flagged, final int observedHolder) {
        final int slot = slotOffset(position);
        int holder;
        do {
            holder = buffer.getIntVolatile(slot + SLOT_HOLDER_PID_OFFSET);
            if (holder != observedHolder && holder != NO_HOLDER) {
                return false;
            }
        } while (!buffer.compareAndSetInt(slot + SLOT_HOLDER_PID_OFFSET, holder, ownPid));
        if (SlotSequence.load(buffer, slot, position, slotCount - 1) != flagged) {
            buffer.compareAndSetInt(slot + SLOT_HOLDER_PID_OFFSET, ownPid, holder);
            return false;
        }
        buffer.putIntRelease(slot + SLOT_HOLDER_PID_OFFSET, REPAIRED_HOLDER);
        if (!SlotSequence.compareAndSet(buffer, slot, position, slotCount - 1, flagged,
            kind.nextSequence(position, slotCount))) {
            return false; // taken over: this process was taken for dead while it repaired
        }
        buffer.getAndAddLong(kind.counterOffset, 1);
        QueueFlightEvents.repaired(queueName, kind == Kind.TEAR ? "torn" : "abandoned", position, holder);
        return true;
    }

    /**
     * @param holder the holder field of a stuck slot: a pid, or none ({@link QueueDescriptor#NO_HOLDER},
     *               {@link QueueDescriptor#REPAIRED_HOLDER}).
     * @param heldNs how long this process has seen the slot held.
     * @return true if the holder is dead: its process is gone, or it never wrote its pid for
     *         {@link #UNKNOWN_HOLDER_FACTOR} repair times.
     */
    private boolean holderDead(final int holder, final long heldNs) {
        if (holder <= NO_HOLDER) {
            return heldNs >= UNKNOWN_HOLDER_FACTOR * repairAfterNs;
        }
        // In a queue shared across pid namespaces no pid is judged (QueueDescriptor, "Pid namespaces"): the flag is
        // read after the holder field, so a foreign holder's pid is never judged without seeing it.
        return holder != ownPid && !NamespaceGuard.isMixed(buffer) && !liveness.isAlive(holder);
    }

    private int slotOffset(final long position) {
        return QueueDescriptor.slotOffset(position, slotMask, slotStride);
    }

    /** The two repairs: of a slot claimed by a producer and not published, or by a consumer and not released. */
    enum Kind {
        /** Publish an unpublished slot as torn: sequence {@code p} to {@code (p + 1) | TORN_BIT}. */
        TEAR(TORN_COUNT_OFFSET) {
            @Override
            long heldSequence(final long position) {
                return position;
            }

            @Override
            long nextSequence(final long position, final int slotCount) {
                return (position + 1) | TORN_BIT;
            }
        },
        /**
         * Release an unreleased slot for the next lap: sequence {@code p + 1} (or {@code (p + 1) | TORN_BIT}, a
         * torn slot its consumer was skipping) to {@code p + slotCount}.
         */
        RELEASE(ABANDONED_COUNT_OFFSET) {
            @Override
            long heldSequence(final long position) {
                return position + 1;
            }

            @Override
            long nextSequence(final long position, final int slotCount) {
                return position + slotCount;
            }
        };

        private final int counterOffset;

        Kind(final int counterOffset) {
            this.counterOffset = counterOffset;
        }

        /** @return the sequence of the slot of {@code position} while its holder has it, without flags. */
        abstract long heldSequence(long position);

        /** @return the sequence that ends the repair: what the holder would have stored, torn for a tear. */
        abstract long nextSequence(long position, int slotCount);

        /** @return true if the sequence says the slot of {@code position} is held, and no repair has begun. */
        boolean isStuck(final long position, final long sequence) {
            return (sequence & ~TORN_BIT) == heldSequence(position);
        }

        /** @return true if the sequence says a repair of the slot of {@code position} has begun and not ended. */
        boolean isFlagged(final long position, final long sequence) {
            return (sequence & REPAIRING_BIT) != 0
                && (sequence & ~(REPAIRING_BIT | TORN_BIT)) == heldSequence(position);
        }
    }

    /** Unstamped slots waiting for their grace, in position order. */
    private static final class PendingSlots {
        private long[] positions = new long[8];
        private Kind[] kinds = new Kind[8];
        private int size;

        void add(final Kind kind, final long position) {
            if (size == positions.length) {
                positions = Arrays.copyOf(positions, size * 2);
                kinds = Arrays.copyOf(kinds, size * 2);
            }
            positions[size] = position;
            kinds[size] = kind;
            size++;
        }
    }
}
