package dev.forklift.sync.internal;

import dev.forklift.shm.AtomicMemory;
import dev.forklift.shm.PidNamespace;

/**
 * The header every robust primitive's file starts with, then the primitive's own body at {@link #BODY_OFFSET}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Magic "FRKLFTS1" (64 bits)                |  0
 *  +---------------------------------------------------------------+
 *  |                     Layout version (written last)             |  8
 *  +---------------------------------------------------------------+
 *  |                     Kind (SyncKind ordinal + 1)               | 12
 *  +---------------------------------------------------------------+
 *  |                     Creator pid (64 bits)                     | 16
 *  +---------------------------------------------------------------+
 *  |                     Created epoch ms (64 bits)                | 24
 *  +---------------------------------------------------------------+
 *  |                     Creator's pid namespace (64 bits)         | 32
 *  +---------------------------------------------------------------+
 *  |                     Flags (bit 0: M = mixed pid namespaces)   | 40
 *  +---------------------------------------------------------------+
 *  |                     Parameter 1 (parties, permits, ...)       | 44
 *  +---------------------------------------------------------------+
 *  |                     Parameter 2                               | 48
 *  +---------------------------------------------------------------+
 *  |                     Parameter 3                               | 52
 *  +---------------------------------------------------------------+
 *  |       Bound name: length (1 byte), then up to 62 bytes        | 64  a condition's lock
 *  +---------------------------------------------------------------+
 *  |       Guard lock block (LockWordLayout, 128 bytes)            | 128
 *  +---------------------------------------------------------------+
 *  |       Body of the kind ...                                    | 256
 * </pre>
 *
 * <p>Pid namespaces, as for queues: an opener of another namespace than the creator's sets M, and from then on no
 * owner pid is judged ({@link OwnerLiveness#of}): a dead owner's lock stays held instead of being taken from a
 * live one. Static offsets and helpers only.
 */
public final class SyncFileLayout {
    /** Magic number at offset 0: ASCII "FRKLFTS1". */
    public static final long MAGIC = 0x46524B4C46545331L;
    /** Version of this layout; openers refuse another. 2: an event's flag and generation are one word. */
    public static final int LAYOUT_VERSION = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int KIND_OFFSET = 12;
    public static final int CREATOR_PID_OFFSET = 16;
    public static final int CREATED_MS_OFFSET = 24;
    public static final int PID_NAMESPACE_OFFSET = 32;
    public static final int FLAGS_OFFSET = 40;
    public static final int PARAM1_OFFSET = 44;
    public static final int PARAM2_OFFSET = 48;
    public static final int PARAM3_OFFSET = 52;
    public static final int BOUND_NAME_OFFSET = 64;
    public static final int BOUND_NAME_MAX_BYTES = 62;
    /** The lock block that guards the primitive's body (the lock itself, for a mutex). */
    public static final int GUARD_OFFSET = 128;
    public static final int BODY_OFFSET = GUARD_OFFSET + LockWordLayout.LENGTH;
    /** Flag: a process of another pid namespace than the creator's opened the file. */
    public static final int MIXED_PID_NAMESPACES_FLAG = 1;

    private SyncFileLayout() {
    }

    /** @return true once a process of another pid namespace opened the file. */
    public static boolean isMixed(final AtomicMemory memory) {
        return (memory.getIntVolatile(FLAGS_OFFSET) & MIXED_PID_NAMESPACES_FLAG) != 0;
    }

    /** Called by every opener before it can own or judge anything: marks the file mixed if need be. */
    public static void noteOpener(final AtomicMemory memory) {
        if (memory.getLongVolatile(PID_NAMESPACE_OFFSET) == PidNamespace.current()) {
            return;
        }
        int flags;
        do {
            flags = memory.getIntVolatile(FLAGS_OFFSET);
        } while ((flags & MIXED_PID_NAMESPACES_FLAG) == 0
            && !memory.compareAndSetInt(FLAGS_OFFSET, flags, flags | MIXED_PID_NAMESPACES_FLAG));
    }
}
