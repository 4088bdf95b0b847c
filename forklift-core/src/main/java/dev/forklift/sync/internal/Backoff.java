package dev.forklift.sync.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * How a thread of a robust primitive waits: spin (every 16th spin yields), then yield, then park for periods that
 * double from 1 microsecond to 1 millisecond, and after about {@value #SLEEP_AFTER_MS} ms parked in all, park
 * {@value #SLEEP_PARK_MS} ms at a time. A busy hand-over never parks (sub-microsecond to a few microseconds); an
 * idle waiter costs well under 1 % of a core. The same shape as the queue's default wait strategy, kept here so the
 * sync layer does not depend on the queue layer. One instance per wait of one thread; not thread-safe.
 */
public final class Backoff {
    static final int MAX_SPINS = 400;
    static final int MAX_YIELDS = 100;
    static final long MIN_PARK_NS = 1_000;
    static final long MAX_PARK_NS = 1_000_000;
    static final long SLEEP_AFTER_MS = 200;
    static final long SLEEP_PARK_MS = 10;

    private final boolean burstSpins;
    private int spins;
    private int yields;
    private long parkNs = MIN_PARK_NS;
    private long parkedNs;

    /** A back-off for a waiter on a flag another process sets (an event, a barrier round, a condition slot). */
    public Backoff() {
        this(false);
    }

    /**
     * @param burstSpins true for a waiter on a lock word: each spin pauses for a burst that doubles up to 64
     *                   pauses, so that waiters read the holder's cache line less often and a holder that takes
     *                   the lock again and again keeps it in its cache (throughput under contention).
     */
    public Backoff(final boolean burstSpins) {
        this.burstSpins = burstSpins;
    }

    /** Waits a little, longer each call. */
    public void idle() {
        if (spins < MAX_SPINS) {
            if ((++spins & 15) == 0) {
                Thread.yield();
            } else if (burstSpins) {
                for (int i = 1 << Math.min(6, spins >> 2); i > 0; i--) {
                    Thread.onSpinWait();
                }
            } else {
                Thread.onSpinWait();
            }
        } else if (yields < MAX_YIELDS) {
            yields++;
            Thread.yield();
        } else if (parkedNs < SLEEP_AFTER_MS * 1_000_000) {
            LockSupport.parkNanos(parkNs);
            parkedNs += parkNs;
            parkNs = Math.min(parkNs << 1, MAX_PARK_NS);
        } else {
            LockSupport.parkNanos(SLEEP_PARK_MS * 1_000_000);
        }
    }

    /**
     * Waits a little, but never past a deadline.
     *
     * @param deadlineNs a {@link System#nanoTime()} value.
     */
    public void idleUntil(final long deadlineNs) {
        if (spins < MAX_SPINS || yields < MAX_YIELDS) {
            idle();
            return;
        }
        final long leftNs = deadlineNs - System.nanoTime();
        if (leftNs > 0) {
            final long napNs = Math.min(leftNs, parkedNs < SLEEP_AFTER_MS * 1_000_000 ? parkNs : SLEEP_PARK_MS * 1_000_000);
            LockSupport.parkNanos(napNs);
            parkedNs += napNs;
            parkNs = Math.min(parkNs << 1, MAX_PARK_NS);
        }
    }

    /** @return true once the wait has left its spin and yield phases (it parks now): time for slow-path checks. */
    public boolean parking() {
        return yields >= MAX_YIELDS;
    }
}
