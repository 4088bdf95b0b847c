package dev.forklift.bench;

import java.util.Arrays;

/**
 * Times round trips for the latency cases (RTT over queues, PIPE, EVENT): runs the warm-up round trips untimed,
 * then times each of the others with {@link System#nanoTime()}, and gives the sorted samples, their median and p99.
 * Called in the process that starts each round trip; not thread-safe.
 */
public final class RoundTrips {
    /** One round trip: send, then wait for the answer. */
    @FunctionalInterface
    public interface RoundTrip {
        void run() throws Exception;
    }

    private final long[] sortedNs;

    private RoundTrips(final long[] sortedNs) {
        this.sortedNs = sortedNs;
    }

    /**
     * @param warmup    round trips before the clock starts (so that the timed ones run compiled code).
     * @param count     timed round trips, at least 1.
     * @param roundTrip what one round trip does.
     * @return the timed samples.
     * @throws Exception what a round trip throws.
     */
    public static RoundTrips time(final int warmup, final int count, final RoundTrip roundTrip) throws Exception {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: count=" + count);
        }
        for (int i = 0; i < warmup; i++) {
            roundTrip.run();
        }
        final long[] samplesNs = new long[count];
        for (int i = 0; i < count; i++) {
            final long startNs = System.nanoTime();
            roundTrip.run();
            samplesNs[i] = System.nanoTime() - startNs;
        }
        Arrays.sort(samplesNs);
        return new RoundTrips(samplesNs);
    }

    /** @return the median round trip in nanoseconds. */
    public long medianNs() {
        return sortedNs[sortedNs.length / 2];
    }

    /** @return the 99th percentile round trip in nanoseconds. */
    public long p99Ns() {
        return sortedNs[Math.min(sortedNs.length - 1, (int) (sortedNs.length * 0.99))];
    }
}
