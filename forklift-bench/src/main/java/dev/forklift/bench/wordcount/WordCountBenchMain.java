package dev.forklift.bench.wordcount;

import dev.forklift.bench.BenchCase;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the word-count cases side by side, alternating the two sides, and prints each measurement and the
 * medians: {@code java -cp forklift-bench.jar:... dev.forklift.bench.wordcount.WordCountBenchMain [ROUNDS]}.
 * For use before the shared {@code forklift bench} harness picks the cases up.
 */
public final class WordCountBenchMain {
    private WordCountBenchMain() {
    }

    /**
     * @param args optional number of rounds (default 3).
     * @throws Exception if a run fails.
     */
    public static void main(final String[] args) throws Exception {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        final List<String> files = new ArrayList<>();
        WordCountCorpus.files().forEach(f -> files.add(f.toString()));
        System.out.printf(Locale.ROOT, "corpus: %s (%.1f MB)%n", files,
            WordCountCorpus.totalBytes(WordCountCorpus.files()) / 1e6);
        for (final BenchCase bench : WordCountCommandCase.all()) {
            final List<Double> ours = new ArrayList<>();
            final List<Double> peer = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                ours.add(bench.runForklift());
                peer.add(bench.runPeer());
                System.out.printf(Locale.ROOT, "%s round %d: forklift %.1f %s, peer %.1f %s%n", bench.name(), r + 1,
                    ours.get(r), bench.unit(), peer.get(r), bench.unit());
            }
            final double a = median(ours);
            final double b = median(peer);
            System.out.printf(Locale.ROOT, "%s: %s%n  forklift median %.1f %s, peer median %.1f %s, ratio %.2fx "
                + "(target %.1fx) %s%n", bench.name(), bench.description(), a, bench.unit(), b, bench.unit(), a / b,
                bench.targetRatio(), a / b >= bench.targetRatio() ? "MET" : "NOT MET");
        }
    }

    private static double median(final List<Double> values) {
        final List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
