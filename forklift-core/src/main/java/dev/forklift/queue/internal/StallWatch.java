package dev.forklift.queue.internal;

/**
 * A queue's watch over the slot its waiters are stuck on (consumers at the head, or producers at the tail): the
 * position, since when this process has seen that slot held by someone (claimed, and not yet published or
 * released), and when the holder was last checked. Used for two things:
 * <ul>
 * <li>one watch per queue and kind, shared by every thread of this process ({@link #checkDue}, {@link #heldForNs}),
 * measures how long a slot has been held across calls, so that a consumer that polls without a timeout, or looks
 * only every few seconds, sees the same stall grow and reaches the repair time. The time counts from the first
 * check that saw the slot held, whether waiters looked in between or not: positions only grow and a held slot stays
 * held until its holder (or a repair) moves it on, so a slot seen held at two checks was held all along;</li>
 * <li>one watch per call ({@link #stuckNs}) measures how long the other side made no progress, for the stall
 * timeout of a producer.</li>
 * </ul>
 * Methods are synchronized (but for the common "not yet" answer of {@link #checkDue}); they run on the waiting path
 * only, never on the fast path of an operation.
 */
final class StallWatch {
    /** Least time between two looks at the holder of the same stuck slot. */
    private static final long CHECK_INTERVAL_NS = 100_000_000L;

    /** Written under the lock, read without it by the fast "not due" answer of {@link #checkDue}. */
    private volatile long position = Long.MIN_VALUE;
    private volatile long lastCheckNs;
    private long sinceNs;
    private boolean heldSeen;
    private long heldSinceNs;

    /**
     * Notes where a waiter is stuck now and tells whether to look at the slot: at once on a new position, then at
     * most every 100 ms. A waiter behind the watch's position (a thread that read an older head or tail) is told no.
     *
     * @param stuckAt the position the waiter waits on.
     * @param nowNs   {@link System#nanoTime()}.
     * @return true when it is time to look at the slot's holder.
     */
    boolean checkDue(final long stuckAt, final long nowNs) {
        if (stuckAt == position && nowNs - lastCheckNs < CHECK_INTERVAL_NS) {
            return false; // the common answer, without the lock; a stale read only defers a look
        }
        return checkDueLocked(stuckAt, nowNs);
    }

    private synchronized boolean checkDueLocked(final long stuckAt, final long nowNs) {
        if (stuckAt > position) {
            moveTo(stuckAt, nowNs);
            lastCheckNs = nowNs;
            return true;
        }
        if (stuckAt < position || nowNs - lastCheckNs < CHECK_INTERVAL_NS) {
            return false;
        }
        lastCheckNs = nowNs;
        return true;
    }

    /**
     * Notes that a look found the slot at {@code stuckAt} held by someone.
     *
     * @param stuckAt the position.
     * @param nowNs   {@link System#nanoTime()}.
     * @return how long this process has seen that slot held, in nanoseconds (0 at the first look).
     */
    synchronized long heldForNs(final long stuckAt, final long nowNs) {
        if (stuckAt != position) {
            moveTo(stuckAt, nowNs);
        }
        if (!heldSeen) {
            heldSeen = true;
            heldSinceNs = nowNs;
        }
        return nowNs - heldSinceNs;
    }

    /**
     * For a watch of one call: notes where the waiter is stuck now.
     *
     * @param stuckAt the position (or counter) that has not moved.
     * @param nowNs   {@link System#nanoTime()}.
     * @return how long it has not moved since this watch first saw it, in nanoseconds.
     */
    synchronized long stuckNs(final long stuckAt, final long nowNs) {
        if (stuckAt != position) {
            moveTo(stuckAt, nowNs);
        }
        return nowNs - sinceNs;
    }

    private void moveTo(final long stuckAt, final long nowNs) {
        position = stuckAt;
        sinceNs = nowNs;
        heldSeen = false;
    }
}
