package dev.forklift.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The measurements of one side of one case: median and spread (min..max). Not thread-safe. */
public final class Stats {
    private final List<Double> values = new ArrayList<>();
    private String error;
    private int failures;

    /** @param value one measurement. */
    public void add(final double value) {
        values.add(value);
    }

    /** @param error why a run failed; counted, and the first one is kept. */
    public void fail(final String error) {
        failures++;
        if (this.error == null) {
            this.error = error;
        }
    }

    /** @return the first failure, or null. */
    public String error() {
        return error;
    }

    /** @return how many runs failed. */
    public int failures() {
        return failures;
    }

    /** @return true if at least one run succeeded and none failed. */
    public boolean allSucceeded() {
        return failures == 0 && hasValues();
    }

    /** @return true if at least one run succeeded. */
    public boolean hasValues() {
        return !values.isEmpty();
    }

    /** @return the median of the measurements (the mean of the middle two for an even count). */
    public double median() {
        final List<Double> sorted = sorted();
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public double min() {
        return sorted().get(0);
    }

    public double max() {
        return sorted().get(values.size() - 1);
    }

    /** @return {@code median [min..max]}, or the error. */
    public String summary() {
        if (!hasValues()) {
            return "error";
        }
        return Format.number(median()) + " [" + Format.number(min()) + ".." + Format.number(max()) + "]";
    }

    private List<Double> sorted() {
        final List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }
}
