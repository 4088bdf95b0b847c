package dev.forklift.process.internal;

/**
 * Layout of a status board: the shared-memory file in which a parent process and its children publish one row
 * each (identity, state, progress, heartbeat), readable by any process of the same user.
 *
 * <p>The file is a header followed by {@link #ROW_COUNT} rows of {@link #ROW_LENGTH} bytes. Row 0 describes the
 * process that owns the board; the other rows describe its children. All numbers are native-endian, as written by
 * {@link dev.forklift.shm.AtomicMemory}.
 *
 * <pre>
 * Header
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                         Magic 'FKSB'                          |
 *  +---------------------------------------------------------------+
 *  |                           Version                             |
 *  +---------------------------------------------------------------+
 *  |                          Row Count                            |
 *  +---------------------------------------------------------------+
 *  |                          Row Length                           |
 *  +---------------------------------------------------------------+
 *  |                        Owner Pid (long)                      ...
 *  +---------------------------------------------------------------+
 *  |                     Created Epoch Ms (long)                  ...
 *  +---------------------------------------------------------------+
 *  |                    Reserved to 64 bytes                      ...
 *  +---------------------------------------------------------------+
 *
 * Row (at HEADER_LENGTH + index * ROW_LENGTH)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                           Pid (long)                         ...
 *  +---------------------------------------------------------------+
 *  |                       Parent Pid (long)                      ...
 *  +---------------------------------------------------------------+
 *  |                       Items Done (long)                      ...
 *  +---------------------------------------------------------------+
 *  |                   Heartbeat Epoch Ms (long)                  ...
 *  +---------------------------------------------------------------+
 *  |                     Start Epoch Ms (long)                    ...
 *  +---------------------------------------------------------------+
 *  |              Text Sequence (odd while text is written)        |
 *  +---------------------------------------------------------------+
 *  |                   In Use (0 free, 1 used)                     |
 *  +---------------------------------------------------------------+
 *  | Role length   |          Role (up to 15 ASCII bytes)         ...
 *  +---------------------------------------------------------------+
 *  | Name length   |          Name (up to 31 ASCII bytes)         ...
 *  +---------------------------------------------------------------+
 *  | State length  |          State (up to 15 ASCII bytes)        ...
 *  +---------------------------------------------------------------+
 *  |              Work Unit (long, 0 while none or rewritten)     ...
 *  +---------------------------------------------------------------+
 *  |              Work Nano Time (long, the child's clock)        ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Writers: the numbers are written with release stores (items with an atomic add); the three text fields are
 * written under the text sequence (a seqlock: odd while writing), and readers retry until they see the same even
 * sequence before and after reading the text. A row becomes visible when In Use is set with a release store.
 * The work stamp (unit, nano time) has one writer, the child's task: it stores unit 0, then the time, then the
 * unit, each with release semantics; a reader that reads the unit, the time and the unit again (each with acquire
 * semantics) and finds the same non-zero unit twice has a consistent pair.
 *
 * <p>Internal; not API.
 */
public final class StatusBoardDescriptor {
    /** 'FKSB' in ASCII. */
    public static final int MAGIC = 0x464B5342;
    /** Layout version. */
    public static final int VERSION = 1;

    /** Offset of the magic number in the header. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the layout version in the header. */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + Integer.BYTES;
    /** Offset of the row count in the header. */
    public static final int ROW_COUNT_OFFSET = VERSION_OFFSET + Integer.BYTES;
    /** Offset of the row length in the header. */
    public static final int ROW_LENGTH_OFFSET = ROW_COUNT_OFFSET + Integer.BYTES;
    /** Offset of the owner pid in the header. */
    public static final int OWNER_PID_OFFSET = ROW_LENGTH_OFFSET + Integer.BYTES;
    /** Offset of the creation time in the header. */
    public static final int CREATED_MS_OFFSET = OWNER_PID_OFFSET + Long.BYTES;
    /** Length of the header, rows start here. */
    public static final int HEADER_LENGTH = 64;

    /** Offset of the pid in a row. */
    public static final int PID_OFFSET = 0;
    /** Offset of the parent pid in a row. */
    public static final int PARENT_PID_OFFSET = PID_OFFSET + Long.BYTES;
    /** Offset of the items-done counter in a row. */
    public static final int ITEMS_DONE_OFFSET = PARENT_PID_OFFSET + Long.BYTES;
    /** Offset of the heartbeat time in a row. */
    public static final int HEARTBEAT_MS_OFFSET = ITEMS_DONE_OFFSET + Long.BYTES;
    /** Offset of the start time in a row. */
    public static final int START_MS_OFFSET = HEARTBEAT_MS_OFFSET + Long.BYTES;
    /** Offset of the text sequence in a row. */
    public static final int TEXT_SEQUENCE_OFFSET = START_MS_OFFSET + Long.BYTES;
    /** Offset of the in-use flag in a row. */
    public static final int IN_USE_OFFSET = TEXT_SEQUENCE_OFFSET + Integer.BYTES;
    /** Largest role length in bytes. */
    public static final int ROLE_MAX_LENGTH = 15;
    /** Offset of the role (a length byte, then the bytes) in a row. */
    public static final int ROLE_OFFSET = IN_USE_OFFSET + Integer.BYTES;
    /** Largest name length in bytes. */
    public static final int NAME_MAX_LENGTH = 31;
    /** Offset of the name (a length byte, then the bytes) in a row. */
    public static final int NAME_OFFSET = ROLE_OFFSET + 1 + ROLE_MAX_LENGTH;
    /** Largest state length in bytes. */
    public static final int STATE_MAX_LENGTH = 15;
    /** Offset of the state (a length byte, then the bytes) in a row. */
    public static final int STATE_OFFSET = NAME_OFFSET + 1 + NAME_MAX_LENGTH;
    /** Offset of the work unit in a row. */
    public static final int WORK_UNIT_OFFSET = STATE_OFFSET + 1 + STATE_MAX_LENGTH;
    /** Offset of the work stamp's time in a row. */
    public static final int WORK_NANOS_OFFSET = WORK_UNIT_OFFSET + Long.BYTES;
    /** Length of a row. */
    public static final int ROW_LENGTH = 128;
    /** Rows per board: the owner and up to {@code ROW_COUNT - 1} children at a time. */
    public static final int ROW_COUNT = 512;
    /** Length of a board file. */
    public static final int BOARD_LENGTH = HEADER_LENGTH + ROW_COUNT * ROW_LENGTH;

    static {
        if (WORK_NANOS_OFFSET + Long.BYTES > ROW_LENGTH || WORK_UNIT_OFFSET % Long.BYTES != 0) {
            throw new AssertionError("status row fields overflow the row length");
        }
    }

    private StatusBoardDescriptor() {
    }

    /**
     * @param row the row index.
     * @return the offset of the row in the board.
     */
    public static int rowOffset(final int row) {
        return HEADER_LENGTH + row * ROW_LENGTH;
    }
}
