package dev.forklift.queue.internal;

/**
 * A queue's watch over one kind of stall (consumers stuck on the head slot, or producers on a full queue): the
 * position that has not moved, since when waiters have seen it stuck, and when the holder was last checked.
 *
 * <p>One watch per queue and kind, shared by every waiting thread of this process, so that a stall is measured
 * across calls: a consumer that polls with short timeouts in a loop sees the same stall grow. A stall counts only
 * while someone waits on it: when no waiter has looked for {@link #GAP_NS}, it starts again from zero. Methods are
 * synchronized; they run on the waiting path only.
 */
final class StallWatch {
    /** Least time between two liveness checks of the same stuck slot. */
    private static final long CHECK_INTERVAL_NS = 100_000_000L;
    /** A stall not observed by any waiter for this long starts again. */
    static final long GAP_NS = 500_000_000L;

    private long position = Long.MIN_VALUE;
    private long sinceNs;
    private long lastSeenNs;
    private long lastCheckNs;

    /**
     * Notes where a waiter is stuck now.
     *
     * @param stuckAt the position (or counter) that has not moved.
     * @param nowNs   {@link System#nanoTime()}.
     * @return how long waiters have seen it stuck there, in nanoseconds.
     */
    synchronized long stuckNs(final long stuckAt, final long nowNs) {
        if (stuckAt != position || nowNs - lastSeenNs > GAP_NS) {
            position = stuckAt;
            sinceNs = nowNs;
            lastCheckNs = nowNs - CHECK_INTERVAL_NS;
        }
        lastSeenNs = nowNs;
        return nowNs - sinceNs;
    }

    /**
     * @param nowNs {@link System#nanoTime()}.
     * @return true, at most every 100 ms, when it is time to look at the holder again.
     */
    synchronized boolean checkDue(final long nowNs) {
        if (nowNs - lastCheckNs < CHECK_INTERVAL_NS) {
            return false;
        }
        lastCheckNs = nowNs;
        return true;
    }
}
