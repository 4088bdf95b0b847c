package dev.forklift.queue;

import java.io.Serializable;
import java.util.concurrent.locks.LockSupport;

/**
 * How a thread waits when a queue is full (producers) or empty (consumers). Chosen per queue; it travels with
 * the queue to child processes. Immutable.
 *
 * <table>
 * <caption>Trade-offs</caption>
 * <tr><th>strategy</th><th>wake-up latency</th><th>CPU while waiting</th><th>use when</th></tr>
 * <tr><td>{@link #busySpin()}</td><td>lowest (sub-microsecond)</td><td>a full core per waiter</td>
 *     <td>a core can be dedicated to each waiting thread</td></tr>
 * <tr><td>{@link #yielding()}</td><td>low (microseconds)</td><td>a full core unless others need it</td>
 *     <td>latency matters and the machine has spare cores</td></tr>
 * <tr><td>{@link #backoff(long, long, long, long)}</td><td>spin, then yield, then park for
 *     growing periods up to the maximum</td><td>almost none once parked: one wake-up per longest period</td>
 *     <td>a known bound on the wake-up latency of an idle waiter</td></tr>
 * <tr><td>{@link #defaultStrategy()}: back-off (200 spins, 100 yields, parks of 1 us to 1 ms), then, after
 *     about 100 ms parked, parks of 20 ms ({@link #sleepingAfter})</td><td>sub-microsecond to a few
 *     microseconds under traffic; at most 1 ms in a lull; up to 20 ms for the first item after a long
 *     quiet period</td><td>under 1 % of a core while idle (measured: the IDLE case of
 *     {@code ./forklift bench})</td>
 *     <td>the general case: busy queues never park, idle ones cost (almost) nothing</td></tr>
 * </table>
 *
 * @serial exclude
 */
public final class WaitStrategy implements Serializable {
    private static final long serialVersionUID = 1L;

    private enum Kind { BUSY_SPIN, YIELDING, BACKOFF }

    private static final WaitStrategy DEFAULT = new WaitStrategy(Kind.BACKOFF, 200, 100, 1_000, 1_000_000,
        100_000_000, 20_000_000);

    private final Kind kind;
    private final long maxSpins;
    private final long maxYields;
    private final long minParkNs;
    private final long maxParkNs;
    private final long sleepAfterNs;
    private final long sleepParkNs;

    private WaitStrategy(final Kind kind, final long maxSpins, final long maxYields, final long minParkNs,
        final long maxParkNs, final long sleepAfterNs, final long sleepParkNs) {
        this.kind = kind;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        this.sleepAfterNs = sleepAfterNs;
        this.sleepParkNs = sleepParkNs;
    }

    /**
     * @return the default: 200 spins, 100 yields, then parks from 1 microsecond growing to 1 millisecond; after
     * about 100 ms of parking, parks of 20 ms. A queue with traffic never waits longer than 1 ms for an item
     * that has arrived; the first item after a long quiet period may wait up to 20 ms; an idle waiter costs well
     * under 1 % of a core.
     */
    public static WaitStrategy defaultStrategy() {
        return DEFAULT;
    }

    /** @return spin without pause: lowest latency, one core burnt per waiting thread. */
    public static WaitStrategy busySpin() {
        return new WaitStrategy(Kind.BUSY_SPIN, 0, 0, 0, 0, Long.MAX_VALUE, 0);
    }

    /** @return yield the CPU between checks: low latency, a core used unless other threads want it. */
    public static WaitStrategy yielding() {
        return new WaitStrategy(Kind.YIELDING, 0, 0, 0, 0, Long.MAX_VALUE, 0);
    }

    /**
     * Spin, then yield, then park with exponential back-off.
     *
     * @param maxSpins  checks with a spin-wait hint before yielding (every 16th of them yields); not negative.
     * @param maxYields checks with {@link Thread#yield()} before parking; not negative.
     * @param minParkNs first park period in nanoseconds; at least 1.
     * @param maxParkNs longest park period in nanoseconds; at least {@code minParkNs}. It bounds the wake-up
     *                  latency of an idle waiter and sets its CPU cost (about one check per period).
     * @return the strategy.
     * @throws IllegalArgumentException if a value is out of range; the message names it.
     */
    public static WaitStrategy backoff(final long maxSpins, final long maxYields, final long minParkNs,
        final long maxParkNs) {
        if (maxSpins < 0 || maxYields < 0) {
            throw new IllegalArgumentException("spins and yields must not be negative: maxSpins=" + maxSpins
                + " maxYields=" + maxYields);
        }
        if (minParkNs < 1 || maxParkNs < minParkNs) {
            throw new IllegalArgumentException("park periods must satisfy 1 <= minParkNs <= maxParkNs: minParkNs="
                + minParkNs + " maxParkNs=" + maxParkNs);
        }
        return new WaitStrategy(Kind.BACKOFF, maxSpins, maxYields, minParkNs, maxParkNs, Long.MAX_VALUE, maxParkNs);
    }

    /**
     * A back-off strategy that, once a wait has parked for about {@code afterNs} in all, parks for
     * {@code parkNs} at a time: a waiter that has been idle for long costs fewer wake-ups (each one costs CPU
     * time, and on virtual machines more than the check itself), at the price of a later first item after the
     * quiet period.
     *
     * @param afterNs total parking after which the long parks start; at least 1.
     * @param parkNs  the long park period; at least this strategy's longest park period.
     * @return the new strategy.
     * @throws IllegalStateException    if this is not a back-off strategy.
     * @throws IllegalArgumentException if a value is out of range.
     */
    public WaitStrategy sleepingAfter(final long afterNs, final long parkNs) {
        if (kind != Kind.BACKOFF) {
            throw new IllegalStateException("only a back-off strategy sleeps: " + this);
        }
        if (afterNs < 1 || parkNs < maxParkNs) {
            throw new IllegalArgumentException("need afterNs >= 1 and parkNs >= maxParkNs: afterNs=" + afterNs
                + " parkNs=" + parkNs + " maxParkNs=" + maxParkNs);
        }
        return new WaitStrategy(kind, maxSpins, maxYields, minParkNs, maxParkNs, afterNs, parkNs);
    }

    /** @return a fresh idler for one wait of one thread (it counts how long this wait has lasted). */
    public Idler newIdler() {
        return new Idler(this);
    }

    /** The state of one thread's wait: how many spins, yields and parks it has done. Not thread-safe. */
    public static final class Idler {
        private final WaitStrategy strategy;
        private long spins;
        private long yields;
        private long parkNs;
        private long parkedNs;

        private Idler(final WaitStrategy strategy) {
            this.strategy = strategy;
            this.parkNs = strategy.minParkNs;
        }

        /** Waits a little, longer each call as the strategy prescribes. */
        public void idle() {
            switch (strategy.kind) {
                case BUSY_SPIN:
                    Thread.onSpinWait();
                    break;
                case YIELDING:
                    Thread.yield();
                    break;
                default:
                    backoff();
            }
        }

        private void backoff() {
            if (spins < strategy.maxSpins) {
                // Every 16th spin yields: when the other side shares this CPU (a busy machine), it runs
                // within about a microsecond instead of after the whole spin phase.
                if ((++spins & 15) == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            } else if (yields < strategy.maxYields) {
                yields++;
                Thread.yield();
            } else if (parkedNs < strategy.sleepAfterNs) {
                LockSupport.parkNanos(parkNs);
                parkedNs += parkNs;
                parkNs = Math.min(parkNs << 1, strategy.maxParkNs);
            } else {
                LockSupport.parkNanos(strategy.sleepParkNs);
            }
        }
    }

    @Override
    public String toString() {
        return kind == Kind.BACKOFF
            ? "backoff(maxSpins=" + maxSpins + ", maxYields=" + maxYields + ", minParkNs=" + minParkNs
                + ", maxParkNs=" + maxParkNs + (sleepAfterNs == Long.MAX_VALUE ? ""
                    : ", sleepAfterNs=" + sleepAfterNs + ", sleepParkNs=" + sleepParkNs) + ')'
            : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
