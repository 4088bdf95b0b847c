package dev.forklift.bench;

/**
 * One row of {@code ./forklift bench}: a Forklift measurement and its peer's, taken side by side in one run,
 * compared as a ratio against a target.
 *
 * <p>Implementations run each side in separate OS processes as the case requires (child JVMs through
 * {@code dev.forklift.process}, Python peers through {@link PythonPeer}). The harness calls {@link #runForklift}
 * and {@link #runPeer} alternately, several times each, and reports median and spread of each side.
 */
public interface BenchCase {
    /** @return the short name used with {@code --case}, such as {@code Q16}. */
    String name();

    /** @return one line saying what is measured on each side. */
    String description();

    /** @return the unit of both measurements, such as {@code msgs/s} or {@code us}. */
    String unit();

    /** @return true when a larger measurement is better (throughput), false when smaller is (latency). */
    boolean higherIsBetter();

    /**
     * @return the ratio Forklift must reach against the peer: Forklift/peer when higher is better,
     * peer/Forklift when lower is better; for example 40.0 for "at least 40x".
     */
    double targetRatio();

    /**
     * Measures the Forklift side once.
     *
     * @return the measurement, in {@link #unit()}.
     * @throws Exception if the run fails; the harness reports the case as FAIL with the error.
     */
    double runForklift() throws Exception;

    /**
     * Measures the peer side once.
     *
     * @return the measurement, in {@link #unit()}.
     * @throws Exception if the run fails (for example no python3); the harness reports it.
     */
    double runPeer() throws Exception;

    /**
     * @param forklift the Forklift measurement.
     * @param peer     the peer measurement.
     * @return how many times better Forklift is: Forklift/peer when higher is better, else peer/Forklift; NaN
     * when the target is absolute and the peer is shown for scale only.
     */
    default double ratio(final double forklift, final double peer) {
        return higherIsBetter() ? forklift / peer : peer / forklift;
    }

    /**
     * @param forklift the Forklift measurement (median).
     * @param peer     the peer measurement (median).
     * @return true if the target holds; by default when {@link #ratio} reaches {@link #targetRatio()}.
     */
    default boolean passes(final double forklift, final double peer) {
        return ratio(forklift, peer) >= targetRatio();
    }

    /** @return the target as printed in the table, such as {@code >=40x}. */
    default String target() {
        return ">=" + Format.ratio(targetRatio());
    }

    /**
     * @return what the machine can do for this case, measured in the same run and in the same unit (an
     * in-process queue between two threads, a plain memory copy), or null when the case has none.
     */
    default Limit limit() {
        return null;
    }

    /** @return extra figures of the runs so far, printed under the table (such as a p99), or an empty string. */
    default String notes() {
        return "";
    }
}
