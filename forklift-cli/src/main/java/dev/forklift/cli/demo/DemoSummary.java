package dev.forklift.cli.demo;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares, source by source, what the producers produced with what the consumers consumed: item counts,
 * checksums and word counts must be equal and no item may be damaged for the run to be lossless.
 */
final class DemoSummary {
    private final Map<String, Totals> produced = new TreeMap<>();
    private final Map<String, Totals> consumed = new TreeMap<>();

    /** Sums of one side for one source. */
    private static final class Totals {
        long items;
        long checksum;
        long words;
        long corrupt;

        void add(final SourceTally tally) {
            items += tally.items();
            checksum += tally.checksum();
            words += tally.words();
            corrupt += tally.corrupt();
        }

        boolean sameAs(final Totals other) {
            return other != null && items == other.items && checksum == other.checksum && words == other.words
                && corrupt == 0 && other.corrupt == 0;
        }
    }

    /** @param tallies tallies from producers and consumers, in any order. */
    void addAll(final Collection<SourceTally> tallies) {
        for (final SourceTally tally : tallies) {
            final Map<String, Totals> side = SourceTally.PRODUCED.equals(tally.side()) ? produced : consumed;
            side.computeIfAbsent(tally.source(), s -> new Totals()).add(tally);
        }
    }

    /** @return true when every source was consumed exactly as produced. */
    boolean isLossless() {
        if (produced.isEmpty() || !produced.keySet().containsAll(consumed.keySet())) {
            return false;
        }
        return produced.entrySet().stream()
            .allMatch(e -> e.getValue().sameAs(consumed.getOrDefault(e.getKey(), new Totals())));
    }

    /** @return items produced over all sources. */
    long producedItems() {
        return produced.values().stream().mapToLong(t -> t.items).sum();
    }

    /** @return items consumed over all sources. */
    long consumedItems() {
        return consumed.values().stream().mapToLong(t -> t.items).sum();
    }

    void print(final PrintWriter out) {
        out.printf("%-24s %12s %12s %18s %18s %s%n", "SOURCE", "PRODUCED", "CONSUMED", "CHECKSUM OUT",
            "CHECKSUM IN", "OK");
        final Map<String, Boolean> sources = new TreeMap<>();
        produced.keySet().forEach(s -> sources.put(s, true));
        consumed.keySet().forEach(s -> sources.put(s, true));
        for (final String source : sources.keySet()) {
            final Totals out1 = produced.getOrDefault(source, new Totals());
            final Totals in = consumed.getOrDefault(source, new Totals());
            out.printf("%-24s %,12d %,12d %18s %18s %s%n", source, out1.items, in.items, hex(out1.checksum),
                hex(in.checksum), out1.sameAs(in) ? "yes" : "NO" + (in.corrupt > 0 ? " (" + in.corrupt
                    + " damaged)" : ""));
        }
        out.printf("%-24s %,12d %,12d%n", "TOTAL", producedItems(), consumedItems());
    }

    private static String hex(final long value) {
        return String.format("%016x", value);
    }
}
