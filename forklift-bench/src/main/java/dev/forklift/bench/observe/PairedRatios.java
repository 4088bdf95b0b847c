package dev.forklift.bench.observe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The ratios of paired measurements (with / without, taken back to back in the same JVMs) and what they resolve:
 * mean, median, quartiles and a Student-t confidence interval of the mean. Not thread-safe; one harness thread.
 */
final class PairedRatios {
    private final List<Double> ratios = new ArrayList<>();

    /**
     * @param with    the measurement with the load on (higher is better), positive.
     * @param without the paired measurement without it, positive.
     */
    void add(final double with, final double without) {
        if (!(with > 0) || !(without > 0)) {
            throw new IllegalArgumentException("paired measurements must be positive: with=" + with + ", without="
                + without);
        }
        ratios.add(with / without);
    }

    int count() {
        return ratios.size();
    }

    double mean() {
        double sum = 0;
        for (final double r : ratios) {
            sum += r;
        }
        return sum / ratios.size();
    }

    /** @return the sample standard deviation of the ratios (n - 1 in the denominator). */
    double standardDeviation() {
        final double mean = mean();
        double squares = 0;
        for (final double r : ratios) {
            squares += (r - mean) * (r - mean);
        }
        return Math.sqrt(squares / (ratios.size() - 1));
    }

    /** @return the q-quantile, interpolated between the sorted ratios. */
    double quantile(final double q) {
        final List<Double> sorted = new ArrayList<>(ratios);
        Collections.sort(sorted);
        final double at = q * (sorted.size() - 1);
        final int low = (int) Math.floor(at);
        final int high = Math.min(sorted.size() - 1, low + 1);
        return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (at - low);
    }

    /** @return half the width of the two-sided 95 % t-interval of the mean; needs at least 2 ratios. */
    double halfWidth95() {
        if (ratios.size() < 2) {
            throw new IllegalStateException("an interval needs at least 2 pairs: pairs=" + ratios.size());
        }
        return studentT975(ratios.size() - 1) * standardDeviation() / Math.sqrt(ratios.size());
    }

    /**
     * The verdict against "the load costs less than {@code 1 - floor}": shown when the interval's lower bound is
     * above the floor, refuted when its upper bound is below it, else not resolved.
     *
     * @param floor such as 0.99.
     * @return {@code SHOWN}, {@code REFUTED} or {@code NOT RESOLVED}.
     */
    String verdict(final double floor) {
        if (ratios.size() < 2) {
            return "NOT RESOLVED";
        }
        final double low = mean() - halfWidth95();
        final double high = mean() + halfWidth95();
        return low > floor ? "SHOWN" : high < floor ? "REFUTED" : "NOT RESOLVED";
    }

    /** @return one line: mean and its interval, median and quartiles, the count. */
    String summary() {
        if (ratios.size() < 2) {
            return ratios.size() + " pair(s): too few for an interval";
        }
        final double half = halfWidth95();
        return String.format(Locale.ROOT, "mean %.4f, 95 %% CI %.4f..%.4f (+-%.2f %%), median %.4f [quartiles "
            + "%.4f..%.4f], %d pairs", mean(), mean() - half, mean() + half, half * 100, quantile(0.5),
            quantile(0.25), quantile(0.75), ratios.size());
    }

    /** The 0.975 quantiles of Student's t for 1 to 10 degrees of freedom (the table). */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228};

    /**
     * The 0.975 quantile of Student's t with {@code degrees} degrees of freedom: the table up to 10, then the
     * Cornish-Fisher expansion around the normal quantile (within 0.05 % of the table from 10 on).
     */
    static double studentT975(final int degrees) {
        if (degrees < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1: degrees=" + degrees);
        }
        if (degrees <= T975.length) {
            return T975[degrees - 1];
        }
        final double z = 1.959964;
        final double v = degrees;
        final double z3 = z * z * z;
        final double z5 = z3 * z * z;
        final double z7 = z5 * z * z;
        return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
    }
}
