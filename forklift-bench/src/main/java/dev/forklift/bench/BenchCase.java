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
}
