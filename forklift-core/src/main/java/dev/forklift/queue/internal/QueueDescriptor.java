package dev.forklift.queue.internal;

/**
 * The layout of a queue's shared-memory file: one header page, then {@code slotCount} fixed-size slots.
 *
 * <pre>
 * File
 * +----------------------------------------------+ 0
 * | Header (HEADER_LENGTH = 4096 bytes)           |
 * +----------------------------------------------+ HEADER_LENGTH
 * | Slot 0                                        |
 * | Slot 1            (SLOT_STRIDE bytes each)    |
 * | ...                                           |
 * | Slot slotCount-1                              |
 * +----------------------------------------------+ HEADER_LENGTH + slotCount * slotStride
 *
 * Header
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Magic "FRKLFTQ1" (64 bits)                |  0
 *  +---------------------------------------------------------------+
 *  |                     Layout version (written last)             |  8
 *  +---------------------------------------------------------------+
 *  |                     Slot count (power of 2)                   | 12
 *  +---------------------------------------------------------------+
 *  |                     Slot stride in bytes                      | 16
 *  +---------------------------------------------------------------+
 *  |                     Max message bytes                         | 20
 *  +---------------------------------------------------------------+
 *  |                     Owner pid (64 bits)                       | 24
 *  +---------------------------------------------------------------+
 *  |                     Created epoch ms (64 bits)                | 32
 *  +---------------------------------------------------------------+
 *  |                     Creator's pid namespace (64 bits)         | 40
 *  +---------------------------------------------------------------+
 *  |                     Flags (bit 0: M = mixed pid namespaces)   | 48
 *  +---------------------------------------------------------------+
 *  |    ... padding to 128 ...                                     |
 *  +---------------------------------------------------------------+
 *  |C|                   Tail position (63 bits)                   | 128  own 128-byte line pair
 *  +---------------------------------------------------------------+
 *  |                     Head position (64 bits)                   | 256  own 128-byte line pair
 *  +---------------------------------------------------------------+
 *  |                     Aborted records (64 bits)                 | 384  statistics
 *  +---------------------------------------------------------------+
 *  |                     Torn records (64 bits)                    | 392
 *  +---------------------------------------------------------------+
 *  |                     Abandoned reads (64 bits)                 | 400
 *  +---------------------------------------------------------------+
 *  C = closed bit: set once by close(); it freezes the tail, so no producer can claim after it.
 *
 * Slot
 *  +-+-+-+---------------------------------------------------------+
 *  |0|R|T|                Sequence (61 bits)                       |  0
 *  +-+-+-+---------------------------------------------------------+
 *  |                Length (ABORTED = -1)                          |  8
 *  +---------------------------------------------------------------+
 *  |       Holder pid (0 = none, -1 = none, handed on by a repair)  | 12
 *  +---------------------------------------------------------------+
 *  |                     Encoded message ...                      ...  16
 *  +---------------------------------------------------------------+
 *  R = repairing bit: a repairer has taken the slot and not yet handed it on.
 *  T = torn bit: published by a repair; no message, whatever the length field says.
 * </pre>
 *
 * <p>Protocol (a bounded multi-producer multi-consumer array queue with a sequence number per slot). Slot
 * {@code i} starts with sequence {@code i}; the sequence of a slot only grows, and the values it takes (without the
 * flag bits) never repeat. A producer that reads tail {@code t} and finds the sequence of slot {@code t mod slotCount}
 * equal to {@code t} claims it by CAS of the tail from {@code t} to {@code t+1}, stamps its pid into the holder
 * field, writes length and message, clears the holder field and publishes by CAS of the sequence from {@code t} to
 * {@code t+1}. A consumer that reads head {@code h} and finds sequence {@code h+1} (torn or not) claims by CAS of
 * the head, stamps its pid, decodes (or skips a torn or aborted slot), clears the holder field and releases the slot
 * for the next lap by CAS of the sequence to {@code h+slotCount}. A sequence lower than expected means full (for a
 * producer) or empty or not yet published (for a consumer); so does a sequence with a flag bit that is not the one
 * expected (a repair in progress, or a torn slot of the previous lap not yet taken): the waiter waits (and may
 * repair), it never spins on it. Batch operations claim a run of {@code k} positions with one CAS of the tail from
 * {@code t} to {@code t+k} (of the head from {@code h} to {@code h+k}) after checking that every slot of the run
 * has the sequence a single claim would need, then stamp the run's slots in order; claims stay in position order,
 * so no other producer (consumer) can take a slot of the run first, and every slot of a claimed run is published
 * (possibly as aborted) or released by its claimer. The version field is written last, with release semantics,
 * when the owner has initialised everything else; attachers refuse a file whose version is not set or differs.
 *
 * <p>Repair of dead holders. A slot's holder field names the process holding it now: the producer from its claim to
 * its publish, the consumer from its claim to its release (for the in-place operations, that span includes the
 * caller's callback); none otherwise. A slot is <em>held</em> when its position is claimed (below the tail for an
 * unpublished slot, below the head for an unreleased one) and its sequence still says so ({@code p} unpublished,
 * {@code p+1} unreleased). Each process keeps a stall watch per queue and side that notes since when it has seen the
 * slot its waiters wait on held; every wait looks at it (also that of an operation with no timeout), at most every
 * 100 ms. Once a slot has been seen held for the repair time ({@code repairAfter}) the waiter looks at the holder: it
 * is dead if its pid is dead, or if no pid was ever written for twice the repair time. Then:
 * <ol>
 * <li>Take: CAS of the sequence from the held value {@code s} to {@code s | R}. Because sequences never repeat, the
 * CAS cannot succeed on a later lap (a repairer that was descheduled after its check just fails), and exactly one of
 * the repairers and the holder's own publish or release (a CAS from the same {@code s}) wins.</li>
 * <li>Own: CAS of the holder field from the pid seen (or from 0, which a holder wrongly taken for dead writes just
 * before its failing CAS) to the repairer's pid. Any other value means another repairer owns the repair (it took
 * over, below): back off without writing.</li>
 * <li>Check the sequence is still {@code s | R} (else another repairer ended the repair: give the holder field
 * back), write -1 into the holder field (none; no repairer takes over from -1), and hand on by CAS of the sequence
 * from {@code s | R} to what the holder would have stored: {@code (p+1) | T} for an unpublished slot (torn; the
 * length field is not touched), {@code p+slotCount} for an unreleased one (its item died with its consumer).
 * Count it (torn records, abandoned reads).</li>
 * </ol>
 * A waiter that finds a slot held with {@code R} set (its repairer died in the middle) judges the pid in the holder
 * field the same way (the repairer's, or still the dead holder's) and takes over from step 2.
 *
 * <p>Runs. Having repaired the slot of a dead pid, the repairer goes on over the following positions (up to the
 * tail for tears, the head for releases, and at most 256 past the last one it repaired): a slot held in the same
 * state with the same pid is repaired at once; a held slot with no pid right after one of them (a run whose holder
 * died while stamping it) is repaired if it still has none after a grace of min(50 ms, repairAfter / 10). So a dead
 * run of any length costs its waiters about the repair time once (twice if no pid was written at all).
 * {@code SharedQueue.repairSlotsHeldBy} does the same at once for a pid its caller knows to be dead.
 *
 * <p>Holders taken for dead. The holder's own steps check first that the slot is still theirs, and write nothing
 * into a slot that is not: a claimer checks the sequence before and after its stamp (a claimer stopped between its
 * claim and its stamp for twice the repair time finds its slot repaired and claims another; nothing is lost); a
 * publish or release that finds the sequence moved on or flagged, or whose CAS fails, throws
 * {@code QueueSlotRepairedException} and never stores a sequence. What stays possible only when a live, stamped holder
 * is taken for dead (its pid looks dead: another pid namespace) and the ring laps while it is descheduled in the middle
 * of a write: bytes it writes into the slot after the repair land in a later lap's message.
 *
 * <p>Pid namespaces. A holder pid means something only in the pid namespace of the process that wrote it: a live
 * process of another namespace (a container sharing {@code /dev/shm}) looks dead, or like some other process, from
 * here. The creator records its namespace ({@link dev.forklift.shm.PidNamespace}) at offset 40. A process that
 * attaches from another namespace sets the M flag (by CAS, before it can claim anything), and from then on no
 * process repairs a slot by judging its holder pid: with M set, a slot whose holder is a pid is never repaired, by
 * anyone, for the rest of the queue's life. This is deliberately the simple rule: a slot's holder field has no room
 * for a namespace, so "judge only holders of one's own namespace" cannot be told per slot, and one flag read on the
 * repair path (after the holder pid, so that a foreign holder's pid is never judged without seeing the flag) keeps
 * every repairer safe. The price: in a queue shared across namespaces a holder that dies holding a slot stalls
 * that slot (consumers wait; producers see {@code QueueStalledException} after the stall timeout when one is set).
 * The time-based rule for a slot with no pid stays, as it judges no pid. With the flag, a live holder of
 * another namespace is never taken for dead, so the case below cannot arise from a foreign namespace.
 */
public final class QueueDescriptor {
    /** Magic number at offset 0: ASCII "FRKLFTQ1". */
    public static final long MAGIC = 0x46524B4C46545131L;
    /**
     * Version of this layout; attachers refuse another. 2: flag bits in the sequence word, hand-overs by CAS;
     * 3: the creator's pid namespace and the flags word in the header; 4: a zero sequence word stands for its
     * slot's index, so creation writes no slot ({@link SlotSequence}).
     */
    public static final int LAYOUT_VERSION = 4;
    /** Alignment of contended fields and slots: two cache lines, against adjacent-line prefetch. */
    public static final int CONTENDED_ALIGNMENT = 128;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;
    public static final int SLOT_COUNT_OFFSET = VERSION_OFFSET + Integer.BYTES;
    public static final int SLOT_STRIDE_OFFSET = SLOT_COUNT_OFFSET + Integer.BYTES;
    public static final int MAX_MESSAGE_BYTES_OFFSET = SLOT_STRIDE_OFFSET + Integer.BYTES;
    public static final int OWNER_PID_OFFSET = MAX_MESSAGE_BYTES_OFFSET + Integer.BYTES;
    public static final int CREATED_MS_OFFSET = OWNER_PID_OFFSET + Long.BYTES;
    public static final int PID_NAMESPACE_OFFSET = CREATED_MS_OFFSET + Long.BYTES;
    public static final int FLAGS_OFFSET = PID_NAMESPACE_OFFSET + Long.BYTES;
    /** Flag: a process of another pid namespace than the creator's attached; no repair judges a holder pid. */
    public static final int MIXED_PID_NAMESPACES_FLAG = 1;
    public static final int TAIL_OFFSET = CONTENDED_ALIGNMENT;
    public static final int HEAD_OFFSET = TAIL_OFFSET + CONTENDED_ALIGNMENT;
    public static final int ABORTED_COUNT_OFFSET = HEAD_OFFSET + CONTENDED_ALIGNMENT;
    public static final int TORN_COUNT_OFFSET = ABORTED_COUNT_OFFSET + Long.BYTES;
    public static final int ABANDONED_COUNT_OFFSET = TORN_COUNT_OFFSET + Long.BYTES;
    /** Length of the header; slots start here, page-aligned. */
    public static final int HEADER_LENGTH = 4096;

    /** The closed bit of the tail word. */
    public static final long CLOSED_BIT = Long.MIN_VALUE;
    /**
     * The repair flag of a slot's sequence word: set by the one repairer that took the slot from a dead holder,
     * until it stores the slot's next sequence. Positions stay far below it (2^61).
     */
    public static final long REPAIRING_BIT = 1L << 62;
    /** The torn flag of a slot's sequence word: the slot was published by a repair, it carries no message. */
    public static final long TORN_BIT = 1L << 61;

    public static final int SLOT_SEQUENCE_OFFSET = 0;
    public static final int SLOT_LENGTH_OFFSET = SLOT_SEQUENCE_OFFSET + Long.BYTES;
    public static final int SLOT_HOLDER_PID_OFFSET = SLOT_LENGTH_OFFSET + Integer.BYTES;
    public static final int SLOT_HEADER_LENGTH = SLOT_HOLDER_PID_OFFSET + Integer.BYTES;
    /** Length value of a slot whose producer failed to encode its message; consumers skip it. */
    public static final int ABORTED_LENGTH = -1;
    /**
     * Length reported for a torn slot (its sequence carries {@link #TORN_BIT}: its producer died before publishing
     * it); consumers skip it. Never written into a slot.
     */
    public static final int TORN_LENGTH = -2;
    /** Holder pid of a slot nobody holds: never stamped since its claim, or handed on by its holder. */
    public static final int NO_HOLDER = 0;
    /**
     * Holder pid of a slot a repair handed on: like {@link #NO_HOLDER} (nobody holds it) for every judgement, but a
     * repairer taking over a repair never takes the slot from this value, which its repairer writes just before it
     * stores the next sequence.
     */
    public static final int REPAIRED_HOLDER = -1;

    /** Largest slot count a queue may have. */
    public static final int MAX_SLOT_COUNT = 1 << 24;
    /** Largest message a queue may carry. */
    public static final int MAX_MESSAGE_BYTES = 64 << 20;

    private QueueDescriptor() {
    }

    static {
        if (ABANDONED_COUNT_OFFSET + Long.BYTES > HEADER_LENGTH || FLAGS_OFFSET + Integer.BYTES > TAIL_OFFSET) {
            throw new AssertionError("queue header fields overlap");
        }
    }

    /**
     * @param maxMessageBytes the largest encoded message.
     * @return the distance between slots: header plus message, rounded up to {@link #CONTENDED_ALIGNMENT}.
     */
    public static int slotStride(final int maxMessageBytes) {
        final long raw = (long) SLOT_HEADER_LENGTH + maxMessageBytes;
        return (int) ((raw + CONTENDED_ALIGNMENT - 1) & -CONTENDED_ALIGNMENT);
    }

    /**
     * @param position   a position in the queue's stream.
     * @param slotMask   the number of slots minus one.
     * @param slotStride the distance between slots.
     * @return the offset of the position's slot from the start of the file.
     */
    public static int slotOffset(final long position, final int slotMask, final int slotStride) {
        return HEADER_LENGTH + (int) (position & slotMask) * slotStride;
    }

    /**
     * @param slotCount  number of slots.
     * @param slotStride distance between slots.
     * @return the file length.
     */
    public static long fileLength(final int slotCount, final int slotStride) {
        return HEADER_LENGTH + (long) slotCount * slotStride;
    }

    /**
     * @param requested a requested capacity, at least 1.
     * @return the smallest power of two not below it, and at least 2: with a single slot, "published for this
     *         lap" and "free for the next lap" would be the same sequence number, and a producer could claim a
     *         slot whose item was not yet taken.
     */
    public static int slotCountFor(final int requested) {
        return requested <= 2 ? 2 : Integer.highestOneBit(requested - 1) << 1;
    }
}
