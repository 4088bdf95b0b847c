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
 * <tr><td>{@link #backoff(long, long, long, long)} (default)</td><td>spin, then yield, then park for
 *     growing periods up to the maximum</td><td>almost none once parked</td>
 *     <td>the general case: busy queues never park, idle ones cost (almost) nothing</td></tr>
 * </table>
 */
public final class WaitStrategy implements Serializable {
    private static final long serialVersionUID = 1L;

    private enum Kind { BUSY_SPIN, YIELDING, BACKOFF }

    private static final WaitStrategy DEFAULT = new WaitStrategy(Kind.BACKOFF, 200, 100, 1_000, 1_000_000);

    private final Kind kind;
    private final long maxSpins;
    private final long maxYields;
    private final long minParkNs;
    private final long maxParkNs;

    private WaitStrategy(final Kind kind, final long maxSpins, final long maxYields, final long minParkNs,
        final long maxParkNs) {
        this.kind = kind;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
    }

    /** @return the default: 200 spins, 100 yields, then parks from 1 microsecond growing to 1 millisecond. */
    public static WaitStrategy defaultStrategy() {
        return DEFAULT;
    }

    /** @return spin without pause: lowest latency, one core burnt per waiting thread. */
    public static WaitStrategy busySpin() {
        return new WaitStrategy(Kind.BUSY_SPIN, 0, 0, 0, 0);
    }

    /** @return yield the CPU between checks: low latency, a core used unless other threads want it. */
    public static WaitStrategy yielding() {
        return new WaitStrategy(Kind.YIELDING, 0, 0, 0, 0);
    }

    /**
     * Spin, then yield, then park with exponential back-off.
     *
     * @param maxSpins  checks with a spin-wait hint before yielding; not negative.
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
        return new WaitStrategy(Kind.BACKOFF, maxSpins, maxYields, minParkNs, maxParkNs);
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
                spins++;
                Thread.onSpinWait();
            } else if (yields < strategy.maxYields) {
                yields++;
                Thread.yield();
            } else {
                LockSupport.parkNanos(parkNs);
                parkNs = Math.min(parkNs << 1, strategy.maxParkNs);
            }
        }
    }

    @Override
    public String toString() {
        return kind == Kind.BACKOFF
            ? "backoff(maxSpins=" + maxSpins + ", maxYields=" + maxYields + ", minParkNs=" + minParkNs
                + ", maxParkNs=" + maxParkNs + ')'
            : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
