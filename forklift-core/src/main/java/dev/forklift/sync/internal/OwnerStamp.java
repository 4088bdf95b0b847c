package dev.forklift.sync.internal;

import java.time.Instant;
import java.util.Optional;

/**
 * The word a process CASes into a lock word, a permit table or a waiter slot to say "this is mine": its pid in the
 * low 32 bits and a stamp of its start time (epoch seconds, low {@value #STAMP_BITS} bits) above, so that a pid the
 * OS gave to a new process after the owner died is not taken for the owner. The bits above the stamp are left to the
 * structure that holds the word (flags); {@link #OWNER_MASK} strips them. 0 is no owner.
 *
 * <p>Static helpers only; thread-safe. Reading another process's start time reads {@code /proc}: only the slow
 * paths (a waiter judging an owner) do it.
 */
public final class OwnerStamp {
    /** Bits of the start-time stamp. */
    public static final int STAMP_BITS = 29;
    /** The pid and the stamp; the bits above are flags of the holding structure. */
    public static final long OWNER_MASK = (1L << (32 + STAMP_BITS)) - 1;
    private static final long STAMP_MASK = (1L << STAMP_BITS) - 1;
    /** Start times closer than this are the same process (as {@code OwnedFileName} judges them). */
    private static final long START_TOLERANCE_SECONDS = 2;

    private static final long OF_THIS_PROCESS = of(ProcessHandle.current().pid(), startSeconds(ProcessHandle.current()));

    private OwnerStamp() {
    }

    /** @return the owner word of this JVM. */
    public static long ofThisProcess() {
        return OF_THIS_PROCESS;
    }

    /**
     * @param pid          a pid, positive.
     * @param startSeconds its start time in epoch seconds, 0 when unknown.
     * @return the owner word.
     */
    public static long of(final long pid, final long startSeconds) {
        if (pid <= 0 || pid > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("pid must be in 1..2^32-1: pid=" + pid);
        }
        return pid | ((startSeconds & STAMP_MASK) << 32);
    }

    /** @return the pid of an owner word (flags ignored), 0 for none. */
    public static long pid(final long word) {
        return word & 0xFFFF_FFFFL;
    }

    /** @return the start stamp of an owner word (flags ignored), 0 when unknown. */
    public static long stamp(final long word) {
        return (word >>> 32) & STAMP_MASK;
    }

    /**
     * Whether the process an owner word names is gone: its pid is dead (a zombie counts as dead), or it now belongs
     * to a process started at another time.
     *
     * @param word an owner word (flags ignored), not 0.
     * @return true only if that owner is certainly dead.
     */
    public static boolean isDead(final long word) {
        final long pid = pid(word);
        if (pid <= 0 || (word & OWNER_MASK) == OF_THIS_PROCESS) {
            return false;
        }
        if (!dev.forklift.shm.ProcessLiveness.isAlive(pid)) {
            return true;
        }
        final long recorded = stamp(word);
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (recorded == 0 || handle.isEmpty()) {
            return handle.isEmpty();
        }
        final long actual = startSeconds(handle.get()) & STAMP_MASK;
        if (actual == 0) {
            return false;
        }
        final long distance = Math.abs(actual - recorded);
        return Math.min(distance, (1L << STAMP_BITS) - distance) > START_TOLERANCE_SECONDS;
    }

    private static long startSeconds(final ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::getEpochSecond).orElse(0L);
    }
}
