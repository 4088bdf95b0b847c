package dev.forklift.bench.pool;

import dev.forklift.bench.BenchCase;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs the pool cases side by side with their Python peers and prints a table: for each case, the median of
 * several alternating runs of each side, their ratio, and whether the target is met.
 *
 * <p>Usage: {@code java -cp forklift-bench.jar:... dev.forklift.bench.pool.PoolBenchMain [RUNS] [CASE...]}
 */
public final class PoolBenchMain {
    private PoolBenchMain() {
    }

    /** @return the pool cases, in report order. */
    public static List<BenchCase> cases() {
        return List.of(new PoolSubmitCase(), new PoolSubmitVsMapCase(), new PoolMapCase(), new PoolStartCase(),
            new PoolWarmStartCase());
    }

    /**
     * @param args optional number of measured runs per side (default 3), then optional case names.
     * @throws Exception if a case fails.
     */
    public static void main(final String[] args) throws Exception {
        final int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        final List<String> only = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of();
        System.out.printf(Locale.ROOT, "java %s, %d cores, %s%n", System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"));
        try {
            for (final BenchCase bench : cases()) {
                if (!only.isEmpty() && !only.contains(bench.name())) {
                    continue;
                }
                bench.runForklift();
                final List<Double> forklift = new ArrayList<>();
                final List<Double> peer = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    forklift.add(bench.runForklift());
                    peer.add(bench.runPeer());
                }
                final double f = median(forklift);
                final double p = median(peer);
                final double ratio = bench.higherIsBetter() ? f / p : p / f;
                System.out.printf(Locale.ROOT, "%-14s forklift %,12.1f %-7s peer %,12.1f %-7s ratio %6.2f "
                        + "target %5.2f %s  (forklift %s, peer %s)%n  %s%n", bench.name(), f, bench.unit(), p,
                    bench.unit(), ratio, bench.targetRatio(), ratio >= bench.targetRatio() ? "MET" : "NOT MET",
                    format(forklift), format(peer), bench.description());
            }
        } finally {
            SharedBenchPool.close();
        }
    }

    private static double median(final List<Double> values) {
        final List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(final List<Double> values) {
        final StringBuilder text = new StringBuilder();
        for (final double value : values) {
            text.append(text.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", value));
        }
        return text.toString();
    }
}
