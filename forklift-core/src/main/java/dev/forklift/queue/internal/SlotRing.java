package dev.forklift.queue.internal;

import dev.forklift.codec.CodecException;
import dev.forklift.jfr.QueueWaitEvent;
import dev.forklift.queue.EndOfStreamException;
import dev.forklift.queue.QueueClosedException;
import dev.forklift.queue.QueueSlotRepairedException;
import dev.forklift.queue.QueueStalledException;
import dev.forklift.queue.WaitStrategy;
import dev.forklift.queue.WaitStrategy.Idler;
import dev.forklift.shm.AtomicMemory;

import java.util.concurrent.TimeUnit;

import static dev.forklift.queue.internal.QueueDescriptor.*;

/**
 * The slot ring of one queue: the slot-sequence protocol of {@link QueueDescriptor} over the queue's memory. It
 * owns the claims of slots for writing and for reading (one slot, or a {@link ClaimedRun} with one CAS), their
 * publishing and releasing (through {@link SlotHandover}), the offsets of slots, the closed bit of the tail and the
 * end-of-stream check, the counters of the header, and the waiting loop with its repairs of slots whose holder
 * died ({@link HolderRepair}, {@link StallWatch}), which every wait runs, also that of an operation with no timeout.
 * It knows nothing of items, codecs or callbacks: what goes into a slot between its claim and its publish (or
 * release) is the business of the caller that claimed it.
 *
 * <p>Thread-safe, also across processes: any thread of any process that maps the queue's memory may call it.
 * Sequences, head and tail change only by CAS; a slot's length and holder field by ordered stores of its holder
 * (or by CAS, in a repair). A caller that claims a slot here must publish it (producer) or release it (consumer)
 * itself, whatever happens in between; if another process repaired the slot meanwhile (it took this one for dead),
 * the publish or release throws {@link QueueSlotRepairedException}. The stall watches belong to the instance, so
 * they are shared by the threads of one process only.
 */
final class SlotRing {
    /** Repairs (WARNING) and stalls (WARNING) of this process's queues; see docs/logging.md. */
    /**
     * The queue's logger, made at its first use: {@code System.getLogger} starts the logging back end
     * ({@code java.util.logging}, about 40 classes), which a worker's start would otherwise pay for warnings it
     * never logs (docs/architecture.md, "What stays off the start path").
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger("dev.forklift.queue");
    }
    /** What {@link #claimForWrite} and {@link #claimMessageForRead} return when the deadline passed first. */
    static final long NO_POSITION = -1;
    /** Waiting checks during which the end-of-stream check is thinned out. */
    private static final int SPINNING_WAITS = 256;

    private final AtomicMemory buffer;
    private final String name;
    private final WaitStrategy waitStrategy;
    private final QueueTimeouts timeouts;
    private final int slotCount;
    private final int slotMask;
    private final int slotStride;
    private final int maxMessageBytes;
    private final HolderRepair repair;
    private final SlotHandover handover;
    private final StallWatch readStall = new StallWatch();
    private final StallWatch writeStall = new StallWatch();

    /**
     * @param buffer       the queue's memory, already initialised ({@link #initialise}).
     * @param name         the queue's name, for exceptions.
     * @param waitStrategy how waiting threads idle.
     * @param timeouts     repair and stall times.
     */
    SlotRing(final AtomicMemory buffer, final String name, final WaitStrategy waitStrategy,
        final QueueTimeouts timeouts) {
        this(buffer, name, waitStrategy, timeouts, HolderLiveness.OF_THIS_PROCESS);
    }

    /**
     * As {@link #SlotRing(AtomicMemory, String, WaitStrategy, QueueTimeouts)}, with the pid to stamp and the
     * liveness check to repair by given: for tests that play several processes over one memory.
     */
    SlotRing(final AtomicMemory buffer, final String name, final WaitStrategy waitStrategy,
        final QueueTimeouts timeouts, final HolderLiveness liveness) {
        this.buffer = buffer;
        this.name = name;
        this.waitStrategy = waitStrategy;
        this.timeouts = timeouts;
        this.slotCount = buffer.getInt(SLOT_COUNT_OFFSET);
        this.slotMask = slotCount - 1;
        this.slotStride = buffer.getInt(SLOT_STRIDE_OFFSET);
        this.maxMessageBytes = buffer.getInt(MAX_MESSAGE_BYTES_OFFSET);
        this.repair = new HolderRepair(buffer, slotCount, slotStride, timeouts.repairAfterNs(), liveness, name);
        this.handover = new SlotHandover(buffer, slotCount, slotStride, liveness.ownPid());
    }

    /**
     * Initialises the header and the slots of fresh memory, and publishes the layout version last. Called once, by
     * the process that creates the queue, before any other process may attach.
     */
    static void initialise(final AtomicMemory buffer, final int slotCount, final int slotStride,
        final int maxMessageBytes) {
        buffer.putLong(MAGIC_OFFSET, MAGIC);
        buffer.putInt(SLOT_COUNT_OFFSET, slotCount);
        buffer.putInt(SLOT_STRIDE_OFFSET, slotStride);
        buffer.putInt(MAX_MESSAGE_BYTES_OFFSET, maxMessageBytes);
        buffer.putLong(OWNER_PID_OFFSET, ProcessHandle.current().pid());
        buffer.putLong(CREATED_MS_OFFSET, System.currentTimeMillis());
        NamespaceGuard.recordCreator(buffer);
        // No slot is written: a zero sequence word stands for its slot's index (SlotSequence), so the slots' pages
        // are faulted in by their first producers, not here.
        buffer.putIntRelease(VERSION_OFFSET, LAYOUT_VERSION);
    }

    /** @return the number of slots, a power of two. */
    int slotCount() {
        return slotCount;
    }

    /** @return the largest message a slot holds, in bytes. */
    int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** @return the number of items whose producer failed to encode them after claiming a slot. */
    long abortedCount() {
        return buffer.getLongVolatile(ABORTED_COUNT_OFFSET);
    }

    /** @return the number of slots published as torn because their producer died before publishing them. */
    long tornCount() {
        return buffer.getLongVolatile(TORN_COUNT_OFFSET);
    }

    /** @return the number of slots released because their consumer died before releasing them. */
    long abandonedCount() {
        return buffer.getLongVolatile(ABANDONED_COUNT_OFFSET);
    }

    /** @return the number of claimed positions between head and tail, within 0..slotCount. */
    int size() {
        final long head = buffer.getLongVolatile(HEAD_OFFSET);
        final long tail = buffer.getLongVolatile(TAIL_OFFSET) & ~CLOSED_BIT;
        return (int) Math.max(0, Math.min(slotCount, tail - head));
    }

    /**
     * Whether a take would find a message now without waiting: from the head, the first published slot that
     * carries a message, passing over published aborted and torn slots (a take skips them) and stopping at the
     * first slot not published yet (a take waits there, whatever follows). A slot claimed by a producer and not
     * published, such as one whose producer died inside its put, does not count, unlike in {@link #size()}.
     * A snapshot: consumers may take the message the next moment. Never blocks; reads at most the slots in use.
     *
     * @return true if a published message is there to take.
     */
    boolean hasMessageReady() {
        final long head = buffer.getLongVolatile(HEAD_OFFSET);
        final long tail = buffer.getLongVolatile(TAIL_OFFSET) & ~CLOSED_BIT;
        for (long position = head; position < tail && position - head < slotCount; position++) {
            final int slot = slotOffset(position);
            final long sequence = SlotSequence.load(buffer, slot, position, slotMask);
            if ((sequence & ~TORN_BIT) != position + 1) {
                return false; // not published yet, or taken and reused since the head was read
            }
            final int length = messageLength(slot);
            if (SlotSequence.load(buffer, slot, position, slotMask) != sequence) {
                return false; // taken while its length was read
            }
            if (carriesMessage(length)) {
                return true;
            }
        }
        return false;
    }

    /** @return the head position: slots claimed by consumers since the queue was made (read, or skipped). */
    long headPosition() {
        return buffer.getLongVolatile(HEAD_OFFSET);
    }

    /** @return the tail position: slots claimed by producers since the queue was made. */
    long tailPosition() {
        return buffer.getLongVolatile(TAIL_OFFSET) & ~CLOSED_BIT;
    }

    /** @return true once the closed bit is set. */
    boolean isClosed() {
        return (buffer.getLongVolatile(TAIL_OFFSET) & CLOSED_BIT) != 0;
    }

    /** @return true once the closed bit is set and the head has reached the frozen tail. */
    boolean isEndOfStream() {
        final long tail = buffer.getLongVolatile(TAIL_OFFSET);
        return (tail & CLOSED_BIT) != 0 && buffer.getLongVolatile(HEAD_OFFSET) >= (tail & ~CLOSED_BIT);
    }

    /** Sets the closed bit of the tail (once; later calls find it set), which freezes the tail for producers. */
    void markClosed() {
        long tail;
        do {
            tail = buffer.getLongVolatile(TAIL_OFFSET);
        } while ((tail & CLOSED_BIT) == 0 && !buffer.compareAndSetLong(TAIL_OFFSET, tail, tail | CLOSED_BIT));
    }

    /** @return the offset in the queue's memory of the slot of this position. */
    int slotOffset(final long position) {
        return QueueDescriptor.slotOffset(position, slotMask, slotStride);
    }

    /**
     * Claims the slot at the tail, waiting while full until the deadline; the caller must publish it.
     *
     * @return the position, or {@link #NO_POSITION} if the deadline passed first.
     * @throws QueueClosedException if the queue is closed before a slot is claimed.
     */
    long claimForWrite(final long deadlineNs) throws InterruptedException {
        Idler idle = null;
        QueueWaitEvent wait = null;
        StallWatch thisCall = null;
        while (true) {
            final long tail = buffer.getLongVolatile(TAIL_OFFSET);
            if ((tail & CLOSED_BIT) != 0) {
                throw new QueueClosedException(name);
            }
            final long sequence = SlotSequence.load(buffer, slotOffset(tail), tail, slotMask);
            if (sequence == tail) {
                if (buffer.compareAndSetLong(TAIL_OFFSET, tail, tail + 1)) {
                    FaultPoints.beforeWriteStamp();
                    // If a repair took the slot before this claimer stamped it, claim another: nothing was written.
                    if (handover.hold(tail, tail)) {
                        FaultPoints.afterWriteClaim();
                        QueueFlightEvents.endWait(wait, name, "put", false);
                        return tail;
                    }
                }
            } else if (sequence < tail || sequence >= TORN_BIT) {
                thisCall = whileFull(thisCall, tail);
                if (deadlinePassed(deadlineNs)) {
                    QueueFlightEvents.endWait(wait, name, "put", true);
                    return NO_POSITION;
                }
                if (idle == null) {
                    wait = QueueFlightEvents.beginWait();
                }
                idle = idle(idle);
            }
        }
    }

    /**
     * Claims up to {@code maxLength} consecutive free slots at the tail with one CAS, waiting while the queue is
     * full; the caller must publish every slot of the run. A slot {@code t+i} whose sequence is {@code t+i} was
     * released by its consumer for this lap, and no producer can claim it before the tail passes {@code t}, so
     * after the CAS the whole run is ours.
     *
     * @throws QueueClosedException if the queue is closed before the run is claimed.
     */
    void claimRunForWrite(final ClaimedRun run, final int maxLength) throws InterruptedException {
        Idler idle = null;
        QueueWaitEvent wait = null;
        StallWatch thisCall = null;
        while (true) {
            final long tail = buffer.getLongVolatile(TAIL_OFFSET);
            if ((tail & CLOSED_BIT) != 0) {
                throw new QueueClosedException(name);
            }
            final long sequence = SlotSequence.load(buffer, slotOffset(tail), tail, slotMask);
            if (sequence == tail) {
                int length = 1;
                while (length < maxLength
                    && SlotSequence.load(buffer, slotOffset(tail + length), tail + length, slotMask) == tail + length) {
                    length++;
                }
                if (buffer.compareAndSetLong(TAIL_OFFSET, tail, tail + length)) {
                    final int held = handover.holdWriteRun(tail, length);
                    if (held > 0) {
                        FaultPoints.afterWriteRunClaim();
                        run.first = tail;
                        run.length = held;
                        QueueFlightEvents.endWait(wait, name, "put", false);
                        return;
                    }
                }
            } else if (sequence < tail || sequence >= TORN_BIT) {
                thisCall = whileFull(thisCall, tail);
                if (idle == null) {
                    wait = QueueFlightEvents.beginWait();
                }
                idle = idle(idle);
            }
        }
    }

    /**
     * Sets the length (or {@link QueueDescriptor#ABORTED_LENGTH}) and publishes the slot to consumers, by CAS of its
     * sequence from the position to the position + 1.
     *
     * @throws QueueSlotRepairedException if another process repaired the slot meanwhile (it took this one for
     *                                    dead): nothing was published, the sequence is left as the repair left it.
     */
    void publish(final int slot, final long position, final int length) {
        if (!handover.tryPublish(slot, position, length)) {
            throw new QueueSlotRepairedException(name, position,
                "to write an item into it: the slot was published as torn and the item was not delivered");
        }
    }

    /** Publishes the slots of a claimed run from index {@code from} to its end as aborted, after a failure. */
    void publishAborted(final ClaimedRun run, final int from) {
        for (int rest = from; rest < run.length; rest++) {
            // A slot repaired meanwhile is torn: nothing to publish.
            handover.tryPublish(slotOffset(run.first + rest), run.first + rest, ABORTED_LENGTH);
        }
    }

    /**
     * Claims the next slot that carries a message, waiting while empty until the deadline; aborted and torn
     * slots met on the way are released and skipped. The caller must release the slot it gets; its length is
     * {@link #messageLength} of it.
     *
     * @return the position, or {@link #NO_POSITION} if the deadline passed first.
     * @throws EndOfStreamException if the queue is closed and drained.
     */
    long claimMessageForRead(final long deadlineNs) throws InterruptedException {
        while (true) {
            final long position = claimForRead(deadlineNs);
            if (position == NO_POSITION) {
                return NO_POSITION;
            }
            final int slot = slotOffset(position);
            if (carriesMessage(messageLength(slot))) {
                return position;
            }
            releaseWithoutItem(slot, position);
        }
    }

    /**
     * Claims the slot at the head, waiting while empty until the deadline.
     *
     * @return the position, or {@link #NO_POSITION} if the deadline passed first.
     * @throws EndOfStreamException if the queue is closed and drained.
     */
    private long claimForRead(final long deadlineNs) throws InterruptedException {
        Idler idle = null;
        QueueWaitEvent wait = null;
        int waits = 0;
        while (true) {
            final long head = buffer.getLongVolatile(HEAD_OFFSET);
            final long sequence = SlotSequence.load(buffer, slotOffset(head), head, slotMask);
            if ((sequence & ~TORN_BIT) == head + 1) {
                // If a repair took the slot before this claimer stamped it, its item was counted as abandoned.
                if (buffer.compareAndSetLong(HEAD_OFFSET, head, head + 1) && handover.hold(head, sequence)) {
                    FaultPoints.afterReadClaim();
                    QueueFlightEvents.endWait(wait, name, "take", false);
                    return head;
                }
            } else if ((sequence & ~TORN_BIT) <= head || sequence >= REPAIRING_BIT) {
                if (endOfStreamCheckDue(waits++)) {
                    whileEmpty(head, buffer.getLongVolatile(TAIL_OFFSET));
                }
                if (deadlinePassed(deadlineNs)) {
                    QueueFlightEvents.endWait(wait, name, "take", true);
                    return NO_POSITION;
                }
                if (idle == null) {
                    wait = QueueFlightEvents.beginWait();
                }
                idle = idle(idle);
            }
        }
    }

    /**
     * Claims up to {@code limit} consecutive published slots at the head with one CAS, waiting for the first until
     * the deadline; the caller must release every slot of the run (aborted and torn ones included).
     *
     * @return true with the run filled in, false if the deadline passed first.
     * @throws EndOfStreamException if the queue is closed and drained.
     */
    boolean claimRunForRead(final ClaimedRun run, final int limit, final long deadlineNs)
        throws InterruptedException {
        Idler idle = null;
        QueueWaitEvent wait = null;
        int waits = 0;
        while (true) {
            final long head = buffer.getLongVolatile(HEAD_OFFSET);
            final long sequence = SlotSequence.load(buffer, slotOffset(head), head, slotMask);
            if ((sequence & ~TORN_BIT) == head + 1) {
                int length = 1;
                while (length < limit && (SlotSequence.load(buffer, slotOffset(head + length), head + length, slotMask)
                    & ~TORN_BIT) == head + length + 1) {
                    length++;
                }
                if (buffer.compareAndSetLong(HEAD_OFFSET, head, head + length)) {
                    final int held = handover.holdReadRun(head, length);
                    if (held > 0) {
                        FaultPoints.afterReadRunClaim();
                        run.first = head;
                        run.length = held;
                        QueueFlightEvents.endWait(wait, name, "take", false);
                        return true;
                    }
                }
            } else if ((sequence & ~TORN_BIT) <= head || sequence >= REPAIRING_BIT) {
                if (endOfStreamCheckDue(waits++)) {
                    whileEmpty(head, buffer.getLongVolatile(TAIL_OFFSET));
                }
                if (deadlinePassed(deadlineNs)) {
                    QueueFlightEvents.endWait(wait, name, "take", true);
                    return false;
                }
                if (idle == null) {
                    wait = QueueFlightEvents.beginWait();
                }
                idle = idle(idle);
            }
        }
    }

    /**
     * @return the length of a slot claimed for reading: a message length, {@link QueueDescriptor#ABORTED_LENGTH},
     *         or {@link QueueDescriptor#TORN_LENGTH} for a slot a repair published (its sequence says so; its
     *         length field is whatever it was).
     */
    int messageLength(final int slot) {
        if ((buffer.getLongVolatile(slot + SLOT_SEQUENCE_OFFSET) & TORN_BIT) != 0) {
            return TORN_LENGTH;
        }
        return buffer.getInt(slot + SLOT_LENGTH_OFFSET);
    }

    /** @return false for the lengths of aborted and torn slots, which consumers skip. */
    static boolean carriesMessage(final int length) {
        return length != ABORTED_LENGTH && length != TORN_LENGTH;
    }

    /**
     * @param length the length of a slot that carries a message.
     * @throws CodecException if it is outside 0..maxMessageBytes (the slot is corrupt).
     */
    void checkMessageLength(final int length) {
        if (length < 0 || length > maxMessageBytes) {
            throw new CodecException("corrupt slot in queue '" + name + "': length=" + length);
        }
    }

    /**
     * Releases a slot claimed for reading to producers of the next lap, by CAS of its sequence from the position + 1
     * to the position + slotCount.
     *
     * @throws QueueSlotRepairedException if another process released the slot meanwhile (it took this one for
     *                                    dead): the item was counted as abandoned; the sequence is left as it is.
     */
    void release(final int slot, final long position) {
        if (!handover.tryRelease(slot, position)) {
            throw new QueueSlotRepairedException(name, position,
                "to read the item in it: the slot was freed for the next lap and the item counted as abandoned");
        }
    }

    /** Releases a slot claimed for reading that carries no item (aborted or torn); a repair of it loses nothing. */
    void releaseWithoutItem(final int slot, final long position) {
        handover.tryRelease(slot, position);
    }

    /**
     * Repairs at once every slot held by a process the caller knows to be dead (see
     * {@link HolderRepair#repairHeldBy}).
     *
     * @return how many slots were repaired.
     */
    int repairSlotsHeldBy(final int pid) {
        final int repaired = repair.repairHeldBy(pid);
        if (repaired > 0 && Log.LOG.isLoggable(System.Logger.Level.WARNING)) {
            Log.LOG.log(System.Logger.Level.WARNING, "queue ''{0}'': repaired {1} slot(s) held by dead process {2}",
                name, repaired, Integer.toString(pid));
        }
        return repaired;
    }

    private void logRepair(final int repaired, final String what, final long position, final long heldNs) {
        if (repaired > 0 && Log.LOG.isLoggable(System.Logger.Level.WARNING)) {
            Log.LOG.log(System.Logger.Level.WARNING, "queue ''{0}'': {1} {2} slot(s) from position {3} whose holder died"
                + " (held for {4} ms)", name, what, repaired, Long.toString(position),
                Long.toString(TimeUnit.NANOSECONDS.toMillis(heldNs)));
        }
    }

    /**
     * A producer waits on a full queue: releases the slot at the tail if the consumer holding it died, and gives
     * up with {@link QueueStalledException} when no consumer has taken anything for the stall timeout. Called on
     * every wait, also of the operations that do not wait (a zero timeout); it reads the head, and only when a
     * consumer holds the slot (or a stall timeout is set) the clock and the stall watch.
     */
    private StallWatch whileFull(final StallWatch thisCall, final long tail) {
        final long head = buffer.getLongVolatile(HEAD_OFFSET);
        long now = 0;
        // Held: a consumer claimed the previous lap's item in this slot and has not released it.
        if (head > tail - slotCount && repair.repairAfterNs() > 0) {
            now = System.nanoTime();
            if (writeStall.checkDue(tail, now)) {
                final long heldNs = writeStall.heldForNs(tail, now);
                if (heldNs >= repair.repairAfterNs()) {
                    logRepair(repair.releaseStuck(tail, heldNs), "released", tail - slotCount, heldNs);
                }
            }
        }
        if (timeouts.stallTimeoutNs() <= 0) {
            return thisCall;
        }
        // The stall timeout bounds one call: a put waits at most that long without consumer progress.
        final StallWatch watch = thisCall != null ? thisCall : new StallWatch();
        if (watch.stuckNs(head, now != 0 ? now : System.nanoTime()) >= timeouts.stallTimeoutNs()) {
            if (Log.LOG.isLoggable(System.Logger.Level.WARNING)) {
                Log.LOG.log(System.Logger.Level.WARNING, "queue ''{0}'': a put gave up after {1} ms without any consumer"
                    + " progress on a full queue (stall timeout)", name,
                    Long.toString(timeouts.stallTimeoutNs() / 1_000_000));
            }
            throw new QueueStalledException(name, timeouts.stallTimeoutNs() / 1_000_000, slotCount);
        }
        return watch;
    }

    /**
     * A consumer waits on an empty slot: throws at the end of the stream, and publishes the slot as torn if the
     * producer that claimed it died. Called whenever a wait reads the tail (every wait of an operation that does
     * not wait, see {@link #endOfStreamCheckDue}); only when a producer holds the slot (the tail is past it) does it
     * read the clock and the stall watch.
     *
     * @throws EndOfStreamException if the queue is closed and drained.
     */
    private void whileEmpty(final long head, final long tailWord) {
        if (isEndOfStreamAt(head, tailWord)) {
            throw new EndOfStreamException(name);
        }
        if ((tailWord & ~CLOSED_BIT) <= head || repair.repairAfterNs() <= 0) {
            return;
        }
        final long now = System.nanoTime();
        if (readStall.checkDue(head, now)) {
            final long heldNs = readStall.heldForNs(head, now);
            if (heldNs >= repair.repairAfterNs()) {
                logRepair(repair.tearStuck(head, heldNs), "published as torn", head, heldNs);
            }
        }
    }

    /**
     * Whether a waiting consumer should read the tail word for the closed bit now: at the first check of every
     * wait (so that {@code poll()} sees the end at once), then every 16th while it still spins (the tail's
     * cache line is the one producers CAS on every put, and a consumer polling it would slow each of them
     * down), and at every check once the wait has gone on longer.
     */
    private static boolean endOfStreamCheckDue(final int waits) {
        return waits >= SPINNING_WAITS || (waits & 15) == 0;
    }

    private boolean isEndOfStreamAt(final long head, final long tail) {
        return (tail & CLOSED_BIT) != 0 && head >= (tail & ~CLOSED_BIT);
    }

    private Idler idle(final Idler current) throws InterruptedException {
        final Idler idle = current != null ? current : waitStrategy.newIdler();
        idle.idle();
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting on queue '" + name + "'");
        }
        return idle;
    }

    /** @return the {@link System#nanoTime()} deadline of a timeout from now, {@link Long#MAX_VALUE} on overflow. */
    static long deadlineNs(final long timeout, final TimeUnit unit) {
        final long now = System.nanoTime();
        final long timeoutNs = unit.toNanos(Math.max(0, timeout));
        return now + timeoutNs < now ? Long.MAX_VALUE : now + timeoutNs;
    }

    private static boolean deadlinePassed(final long deadlineNs) {
        return deadlineNs != Long.MAX_VALUE && System.nanoTime() - deadlineNs >= 0;
    }
}
