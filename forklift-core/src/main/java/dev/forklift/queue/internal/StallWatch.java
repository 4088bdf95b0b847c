package dev.forklift.queue.internal;

/**
 * One waiting thread's watch over a stall: the position it has been stuck at, since when, and when it last
 * looked for a dead holder. Created lazily, only once a thread has to wait. Not thread-safe.
 */
final class StallWatch {
    /** Least time between two liveness checks of the same stuck slot. */
    private static final long CHECK_INTERVAL_NS = 100_000_000L;

    private long position = Long.MIN_VALUE;
    private long sinceNs;
    private long lastCheckNs;

    /**
     * Notes where the waiter is stuck now.
     *
     * @param stuckAt the position (or counter) that has not moved.
     * @param nowNs   {@link System#nanoTime()}.
     * @return how long it has been stuck there, in nanoseconds.
     */
    long stuckNs(final long stuckAt, final long nowNs) {
        if (stuckAt != position) {
            position = stuckAt;
            sinceNs = nowNs;
            lastCheckNs = nowNs - CHECK_INTERVAL_NS;
        }
        return nowNs - sinceNs;
    }

    /**
     * @param nowNs {@link System#nanoTime()}.
     * @return true, at most every 100 ms, when it is time to look at the holder again.
     */
    boolean checkDue(final long nowNs) {
        if (nowNs - lastCheckNs < CHECK_INTERVAL_NS) {
            return false;
        }
        lastCheckNs = nowNs;
        return true;
    }
}
