package dev.forklift.sync.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * How a thread of a robust primitive waits. Two shapes, then the same parking:
 * <ul>
 * <li><b>a waiter on a flag</b> another process sets (an event, a barrier round, a condition slot, a permit):
 * spins with {@link Thread#onSpinWait()} and nothing else for up to 20 microseconds (so a hand-over from a process
 * on another CPU is seen within a fraction of a microsecond: no system call on that path), less when the handle's
 * {@link SpinBudget} learnt that spinning does not pay, then yields {@value #FLAG_MAX_YIELDS} times;</li>
 * <li><b>a waiter on a lock word</b> ({@code burstSpins}): {@value #MAX_SPINS} spins in bursts that double up to 64
 * pauses, every 16th spin a yield, then {@value #MAX_YIELDS} yields: waiters read the holder's cache line less
 * often, and a holder that shares the waiter's CPU runs soon;</li>
 * </ul>
 * then parks for periods that double from 1 microsecond to 1 millisecond, and after about {@value #SLEEP_AFTER_MS}
 * ms parked in all, {@value #SLEEP_PARK_MS} ms at a time (a flag waiter: after {@value #FLAG_SLEEP_AFTER_MS} ms,
 * {@value #FLAG_SLEEP_PARK_MS} ms at a time, as the queue's default wait strategy): an idle waiter costs next to no
 * CPU (one wake-up per long park). The flag waiter spins without yielding because a yield is a system call, and on a
 * virtual machine one costs microseconds (about 4 us on the development machine): a yield every 16th spin put a
 * yield on nearly every hand-over and made an event ping-pong cost 11 to 13 us instead of under 1 us. The spin is
 * bounded by time, not by count, so a waiter whose setter shares its CPU wastes at most that long before it yields.
 * One instance per wait of one thread; not thread-safe. Kept here, not shared with the queue's wait strategy, so
 * that the sync layer's robust primitives do not depend on the queue layer.
 */
public final class Backoff {
    static final int MAX_SPINS = 400;
    static final int MAX_YIELDS = 100;
    static final int FLAG_MAX_YIELDS = 50;
    static final long MIN_PARK_NS = 1_000;
    static final long MAX_PARK_NS = 1_000_000;
    static final long SLEEP_AFTER_MS = 200;
    static final long SLEEP_PARK_MS = 10;
    static final long FLAG_SLEEP_AFTER_MS = 100;
    static final long FLAG_SLEEP_PARK_MS = 20;
    /** Spins between two looks at the clock in the flag waiter's spin (a look costs tens of nanoseconds). */
    private static final int SPINS_PER_CLOCK_LOOK = 16;

    private final boolean burstSpins;
    private final SpinBudget budget;
    private long spinNs;
    private int spins;
    private boolean spinning = true;
    private long spinStartNs;
    private int yields;
    private long parkNs = MIN_PARK_NS;
    private long parkedNs;
    private final long sleepAfterNs;
    private final long sleepParkNs;

    /** A back-off for a waiter on a flag another process sets (an event, a barrier round, a condition slot). */
    public Backoff() {
        this(new SpinBudget());
    }

    /**
     * A back-off for a waiter on a flag, whose spin time is learnt across the waits of one handle.
     *
     * @param budget the handle's spin budget; this wait reads it and updates it ({@link #woke()}).
     */
    public Backoff(final SpinBudget budget) {
        this.burstSpins = false;
        this.budget = budget;
        this.sleepAfterNs = FLAG_SLEEP_AFTER_MS * 1_000_000;
        this.sleepParkNs = FLAG_SLEEP_PARK_MS * 1_000_000;
    }

    /**
     * @param burstSpins true for a waiter on a lock word: each spin pauses for a burst that doubles up to 64
     *                   pauses, so that waiters read the holder's cache line less often and a holder that takes
     *                   the lock again and again keeps it in its cache (throughput under contention).
     */
    public Backoff(final boolean burstSpins) {
        this.burstSpins = burstSpins;
        this.budget = burstSpins ? null : new SpinBudget();
        this.sleepAfterNs = (burstSpins ? SLEEP_AFTER_MS : FLAG_SLEEP_AFTER_MS) * 1_000_000;
        this.sleepParkNs = (burstSpins ? SLEEP_PARK_MS : FLAG_SLEEP_PARK_MS) * 1_000_000;
    }

    /** Tells the back-off that the wait is over: a flag seen while spinning lets the next waits spin longer. */
    public void woke() {
        if (!burstSpins && spinning && spins > 0) {
            budget.wokeSpinning();
        }
    }

    /** Waits a little, longer each call. */
    public void idle() {
        if (spinning) {
            spin();
        } else if (yields < maxYields()) {
            yields++;
            Thread.yield();
        } else if (parkedNs < sleepAfterNs) {
            LockSupport.parkNanos(parkNs);
            parkedNs += parkNs;
            parkNs = Math.min(parkNs << 1, MAX_PARK_NS);
        } else {
            LockSupport.parkNanos(sleepParkNs);
        }
    }

    private void spin() {
        if (burstSpins) {
            if ((++spins & 15) == 0) {
                Thread.yield();
            } else {
                for (int i = 1 << Math.min(6, spins >> 2); i > 0; i--) {
                    Thread.onSpinWait();
                }
            }
            spinning = spins < MAX_SPINS;
            return;
        }
        if (spins == 0) {
            spinStartNs = System.nanoTime();
            spinNs = budget.spinNs();
        }
        Thread.onSpinWait();
        if (++spins % SPINS_PER_CLOCK_LOOK == 0 && System.nanoTime() - spinStartNs >= spinNs) {
            spinning = false;
            budget.spunOut();
        }
    }

    private int maxYields() {
        return burstSpins ? MAX_YIELDS : FLAG_MAX_YIELDS;
    }

    /**
     * Waits a little, but never past a deadline.
     *
     * @param deadlineNs a {@link System#nanoTime()} value.
     */
    public void idleUntil(final long deadlineNs) {
        if (!parking()) {
            idle();
            return;
        }
        final long leftNs = deadlineNs - System.nanoTime();
        if (leftNs > 0) {
            final long napNs = Math.min(leftNs, parkedNs < sleepAfterNs ? parkNs : sleepParkNs);
            LockSupport.parkNanos(napNs);
            parkedNs += napNs;
            parkNs = Math.min(parkNs << 1, MAX_PARK_NS);
        }
    }

    /** @return true once the wait has left its spin and yield phases (it parks now): time for slow-path checks. */
    public boolean parking() {
        return !spinning && yields >= maxYields();
    }
}
