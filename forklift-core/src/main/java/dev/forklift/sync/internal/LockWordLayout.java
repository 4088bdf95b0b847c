package dev.forklift.sync.internal;

/**
 * The layout of a robust lock word: a block of {@link #LENGTH} bytes at an offset of a primitive's file, aligned to
 * {@link #ALIGNMENT}. The protocol is {@link RobustLockWord}'s.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-------------------------+-------------------------------+
 *  |0|D|0| Owner start stamp (29)  |       Owner pid (32 bits)     |  0  owner word (64 bits)
 *  +-+-+-+-------------------------+-------------------------------+
 *  |                     Owner thread key (64 bits)                |  8  0 when free
 *  +---------------------------------------------------------------+
 *  |                     Hold count                                | 16  reentrant holds; owner only
 *  +---------------------------------------------------------------+
 *  |                     (reserved)                                | 20
 *  +---------------------------------------------------------------+
 *  |                     Owner deaths (64 bits)                    | 24  words taken from dead owners
 *  +---------------------------------------------------------------+
 *  |    ... padding to 128 (the owner word has its line pair) ...  |
 *  +---------------------------------------------------------------+
 *  Owner word: 0 = free; else pid | stamp &lt;&lt; 32 ({@link OwnerStamp}) | flags, bit 63 first in the row.
 *  D = owner died: the word was taken from a dead owner; the holder that took it sees the flag until it releases.
 * </pre>
 *
 * <p>Static offsets only.
 */
public final class LockWordLayout {
    /** Alignment of a lock block: two cache lines, against adjacent-line prefetch. */
    public static final int ALIGNMENT = 128;
    /** Length of a lock block. */
    public static final int LENGTH = 128;

    public static final int OWNER_WORD_OFFSET = 0;
    public static final int OWNER_THREAD_OFFSET = 8;
    public static final int HOLD_COUNT_OFFSET = 16;
    public static final int OWNER_DEATHS_OFFSET = 24;

    /** Flag of the owner word: taken from a dead owner. */
    public static final long OWNER_DIED_BIT = 1L << 62;

    private LockWordLayout() {
    }
}
