package dev.forklift.bench;

/**
 * A measurement of what the machine does without Forklift, in the unit of the cases that refer to it: the
 * harness measures each limit in the same run as the cases and shows each Forklift figure as a fraction of it.
 */
public interface Limit {
    /** @return a short name for the table, such as {@code ABQ 16 B}; limits with equal names are measured once. */
    String name();

    /** @return true when a larger measurement is better (throughput), false when smaller is (latency). */
    boolean higherIsBetter();

    /**
     * Measures once.
     *
     * @return the measurement, in the unit of the cases that use this limit.
     * @throws Exception if the measurement fails.
     */
    double measure() throws Exception;
}
