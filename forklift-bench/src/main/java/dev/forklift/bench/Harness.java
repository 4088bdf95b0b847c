package dev.forklift.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs benchmark cases: each run measures the Forklift side and the peer side back to back, alternating which
 * goes first, so that both see the same machine; then prints median and spread of each side, their ratio
 * against the target, and each Forklift figure as a fraction of the case's limit (what the machine does without
 * Forklift).
 */
public final class Harness {
    private final int runs;
    private final PrintStream out;
    private final PrintStream progress;
    private final Map<String, Stats> limits = new LinkedHashMap<>();

    /**
     * @param runs     how many times each side of each case is measured.
     * @param out      where the table goes.
     * @param progress where per-run lines go.
     */
    public Harness(final int runs, final PrintStream out, final PrintStream progress) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1: runs=" + runs);
        }
        this.runs = runs;
        this.out = out;
        this.progress = progress;
    }

    /** One row of the table. */
    private static final class Row {
        final BenchCase benchCase;
        final Stats forklift = new Stats();
        final Stats peer = new Stats();

        Row(final BenchCase benchCase) {
            this.benchCase = benchCase;
        }
    }

    /**
     * Runs the cases and prints the table.
     *
     * @param cases the cases, in table order.
     * @return true if every case passed.
     */
    public boolean run(final List<BenchCase> cases) throws InterruptedException {
        final String loadBefore = loadAverage();
        final long start = System.nanoTime();
        final List<Row> rows = new ArrayList<>();
        for (final BenchCase benchCase : cases) {
            final Row row = new Row(benchCase);
            rows.add(row);
            for (int run = 1; run <= runs; run++) {
                final boolean forkliftFirst = run % 2 == 1;
                measure(row, forkliftFirst, run);
                measure(row, !forkliftFirst, run);
            }
            final Limit limit = benchCase.limit();
            if (limit != null && !limits.containsKey(limit.name())) {
                final Stats stats = new Stats();
                limits.put(limit.name(), stats);
                for (int run = 1; run <= runs; run++) {
                    try {
                        stats.add(limit.measure());
                    } catch (final Exception ex) {
                        stats.fail(ex.toString());
                    }
                }
                progress.printf("  limit %s: %s%n", limit.name(), stats.summary());
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        return print(rows, loadBefore, seconds);
    }

    private void measure(final Row row, final boolean forklift, final int run) throws InterruptedException {
        final BenchCase benchCase = row.benchCase;
        final Stats stats = forklift ? row.forklift : row.peer;
        try {
            final double value = forklift ? benchCase.runForklift() : benchCase.runPeer();
            stats.add(value);
            progress.printf("  %s run %d/%d %s: %s %s%n", benchCase.name(), run, runs, forklift ? "forklift" : "peer",
                Format.number(value), benchCase.unit());
        } catch (final InterruptedException ex) {
            throw ex;
        } catch (final Exception ex) {
            stats.fail(ex.toString());
            progress.printf("  %s run %d/%d %s failed: %s%n", benchCase.name(), run, runs,
                forklift ? "forklift" : "peer", ex);
        }
    }

    private boolean print(final List<Row> rows, final String loadBefore, final double seconds) {
        boolean allPass = true;
        final String format = "%-8s %-7s %-24s %-24s %-7s %-8s %-6s %s%n";
        out.printf(format, "case", "unit", "Forklift median [min..max]", "peer median [min..max]", "ratio", "target",
            "result", "Forklift vs the machine's limit");
        for (final Row row : rows) {
            final BenchCase c = row.benchCase;
            String ratio = "-";
            if (row.forklift.hasValues() && row.peer.hasValues()) {
                final double r = c.ratio(row.forklift.median(), row.peer.median());
                ratio = Double.isNaN(r) ? "-" : Format.ratio(r);
            }
            final String result = passes(c, row.forklift, row.peer) ? "PASS" : "FAIL";
            allPass &= result.equals("PASS");
            out.printf(format, c.name(), c.unit(), row.forklift.summary(), row.peer.summary(), ratio, c.target(),
                result, limitText(row));
        }
        out.println();
        for (final Row row : rows) {
            final BenchCase c = row.benchCase;
            out.printf("%-8s %s%n", c.name(), c.description());
            final String notes = c.notes();
            if (!notes.isEmpty()) {
                out.printf("%-8s %s%n", "", notes);
            }
            if (row.forklift.error() != null) {
                out.printf("%-8s Forklift error (%d of %d runs failed): %s%n", "", row.forklift.failures(), runs,
                    row.forklift.error());
            }
            if (row.peer.error() != null) {
                out.printf("%-8s peer error (%d of %d runs failed): %s%n", "", row.peer.failures(), runs,
                    row.peer.error());
            }
        }
        out.printf("%n%d run(s) per side, alternating; %.0f s in all; load average before %s, after %s; %d CPUs%n",
            runs, seconds, loadBefore, loadAverage(), Runtime.getRuntime().availableProcessors());
        return allPass;
    }

    /**
     * The verdict of one case: it passes only when every run of both sides succeeded and the medians meet the
     * case's target; a case whose runs partly failed fails, whatever its medians.
     *
     * @param benchCase the case.
     * @param forklift  its Forklift runs.
     * @param peer      its peer runs.
     * @return true for PASS.
     */
    static boolean passes(final BenchCase benchCase, final Stats forklift, final Stats peer) {
        return forklift.allSucceeded() && peer.allSucceeded()
            && benchCase.passes(forklift.median(), peer.median());
    }

    private String limitText(final Row row) {
        final Limit limit = row.benchCase.limit();
        if (limit == null) {
            return "";
        }
        final Stats stats = limits.get(limit.name());
        if (stats == null || !stats.hasValues() || !row.forklift.hasValues()) {
            return limit.name() + ": -";
        }
        final double fraction = limit.higherIsBetter() ? row.forklift.median() / stats.median()
            : stats.median() / row.forklift.median();
        return Format.percent(fraction) + " of " + limit.name() + " (" + Format.number(stats.median()) + ")";
    }

    private static String loadAverage() {
        try {
            final String[] parts = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return String.format(Locale.ROOT, "%s %s %s", parts[0], parts[1], parts[2]);
        } catch (final IOException | RuntimeException ex) {
            return "unknown";
        }
    }
}
