package dev.forklift.sync.internal;

/**
 * The layout of a shared-state file: one shared value, one shared array or one named byte segment, each in a
 * file of its own in the per-user shared-memory directory. Offsets in bytes, native byte order.
 *
 * <pre>
 *  0               8               16              24              32
 *  +---------------+-------+-------+---------------+---------------+
 *  | magic         |version| type  | count         | owner pid     |  0
 *  | "FRKLSTA1"    | (4)   | (4)   | (8)           | (8)           |
 *  +---------------+-------+-------+---------------+---------------+
 *  | created ms    | pid namespace | reserved words (kind-specific) |  32
 *  +---------------+---------------+-------------------------------+
 *  |  ... reserved up to 128 ...                                   |
 *  +---------------------------------------------------------------+
 *  |  payload: count elements of the type's size, from offset 128  |  128
 *  |  (a value: one 8-byte cell; an array: count 4- or 8-byte      |
 *  |  cells, back to back; a segment: count bytes)                 |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The creator writes every header field and the payload's initial values, then the version with a release
 * store; an attacher checks magic, version, type and that the file length matches the count before it touches
 * the payload. The payload starts on its own 128-byte line pair, so that contended cells never share a cache line
 * with the header; cells are aligned to their size, as atomic access needs. Values of type double are kept as
 * their IEEE 754 bits in a 64-bit cell.
 *
 * <p>Internal; not API.
 */
public final class StateFileDescriptor {
    /** ASCII "FRKLSTA1". */
    public static final long MAGIC = 0x46524B4C53544131L;
    /** Version of this layout; attachers refuse another. */
    public static final int LAYOUT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int TYPE_OFFSET = 12;
    public static final int COUNT_OFFSET = 16;
    public static final int OWNER_PID_OFFSET = 24;
    public static final int CREATED_MS_OFFSET = 32;
    public static final int PID_NAMESPACE_OFFSET = 40;
    /** First of the reserved words a kind may use for its own header fields (up to {@link #PAYLOAD_OFFSET}). */
    public static final int RESERVED_OFFSET = 48;
    /** Where the payload starts. */
    public static final int PAYLOAD_OFFSET = 128;

    private StateFileDescriptor() {
    }

    /**
     * @param type  the kind of state.
     * @param count elements (cells, or bytes of a segment).
     * @return the file length.
     */
    public static long fileLength(final StateType type, final long count) {
        return PAYLOAD_OFFSET + count * type.elementBytes();
    }

    /**
     * @param type  the kind of state.
     * @param index an element index.
     * @return the offset of that element from the start of the file.
     */
    public static int elementOffset(final StateType type, final int index) {
        return PAYLOAD_OFFSET + index * type.elementBytes();
    }
}
