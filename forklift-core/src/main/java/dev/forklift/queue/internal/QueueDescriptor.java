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
 *  +---------------------------------------------------------------+
 *  |                     Sequence (64 bits)                        |  0
 *  +---------------------------------------------------------------+
 *  |                Length (ABORTED = -1, TORN = -2)               |  8
 *  +---------------------------------------------------------------+
 *  |                     Holder pid (0 = none)                     | 12
 *  +---------------------------------------------------------------+
 *  |                     Encoded message ...                      ...  16
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Protocol (a bounded multi-producer multi-consumer array queue with a sequence number per slot). Slot
 * {@code i} starts with sequence {@code i}. A producer that reads tail {@code t} and finds the sequence of slot
 * {@code t mod slotCount} equal to {@code t} claims it by CAS of the tail from {@code t} to {@code t+1}, writes
 * length and message, and publishes by an ordered store of sequence {@code t+1}. A consumer that reads head
 * {@code h} and finds sequence {@code h+1} claims by CAS of the head, decodes, and releases the slot for the
 * next lap by an ordered store of sequence {@code h+slotCount}. A sequence lower than expected means full (for
 * a producer) or empty or not yet published (for a consumer). Batch operations claim a run of {@code k}
 * positions with one CAS of the tail from {@code t} to {@code t+k} (of the head from {@code h} to
 * {@code h+k}) after checking that every slot of the run has the sequence a single claim would need; claims
 * stay in position order, so no other producer (consumer) can take a slot of the run first, and every slot
 * of a claimed run is published (possibly as aborted) or released by its claimer. The version field is written last, with release
 * semantics, when the owner has initialised everything else; attachers refuse a file whose version is not set
 * or differs.
 *
 * <p>Repair of dead holders. A slot's holder pid is the process holding it now: the producer from its claim to
 * its publish, the consumer from its claim to its release (for the in-place operations, that span includes the
 * caller's callback); 0 otherwise (each holder clears it before handing the slot on). A consumer that waits on a slot claimed but not published (the tail is past it) for longer than the
 * queue's repair time looks at the holder: if that process is dead, the consumer marks the slot TORN and
 * publishes it by CAS of the sequence; consumers skip torn slots and the torn-records counter counts them.
 * Symmetrically, a producer that waits on a slot claimed by a consumer but not released (the head is past it)
 * releases it by CAS when the consumer is dead, and counts an abandoned read (the item died with its consumer).
 * A holder pid of 0 on a claimed slot means the holder died between its claim and its pid store (a window of a
 * few instructions); the slot is then repaired after ten times the repair time.
 */
public final class QueueDescriptor {
    /** Magic number at offset 0: ASCII "FRKLFTQ1". */
    public static final long MAGIC = 0x46524B4C46545131L;
    /** Version of this layout; attachers refuse another. */
    public static final int LAYOUT_VERSION = 2;
    /** Alignment of contended fields and slots: two cache lines, against adjacent-line prefetch. */
    public static final int CONTENDED_ALIGNMENT = 128;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;
    public static final int SLOT_COUNT_OFFSET = VERSION_OFFSET + Integer.BYTES;
    public static final int SLOT_STRIDE_OFFSET = SLOT_COUNT_OFFSET + Integer.BYTES;
    public static final int MAX_MESSAGE_BYTES_OFFSET = SLOT_STRIDE_OFFSET + Integer.BYTES;
    public static final int OWNER_PID_OFFSET = MAX_MESSAGE_BYTES_OFFSET + Integer.BYTES;
    public static final int CREATED_MS_OFFSET = OWNER_PID_OFFSET + Long.BYTES;
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
    /** Length value of a slot whose producer died before publishing it; consumers skip it. */
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
        if (ABANDONED_COUNT_OFFSET + Long.BYTES > HEADER_LENGTH || CREATED_MS_OFFSET + Long.BYTES > TAIL_OFFSET) {
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
