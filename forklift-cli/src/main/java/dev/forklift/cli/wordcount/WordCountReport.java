package dev.forklift.cli.wordcount;

import dev.forklift.pipeline.FailureRecord;
import dev.forklift.jobs.wordcount.WordCountJob;
import dev.forklift.jobs.wordcount.WordCounts;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

/** Prints the result of the word count: the top words, a summary line, or everything as JSON. */
final class WordCountReport {
    private WordCountReport() {
    }

    /** By count, descending, then by word. */
    private static final Comparator<Map.Entry<String, Long>> RANKING =
        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey());

    /** @return the entries by count, descending, then by word. */
    static List<Map.Entry<String, Long>> rank(final Map<String, Long> counts) {
        final List<Map.Entry<String, Long>> ranked = new ArrayList<>(counts.entrySet());
        ranked.sort(RANKING);
        return ranked;
    }

    /**
     * The first {@code top} entries of {@link #rank} without ranking them all: one pass over the table with a heap
     * of the best {@code top} so far, making a {@link String} only for a word whose count can enter it. The parent
     * runs this after the job, on its critical path; a whole ranking boxed every word of the vocabulary (50,000 of
     * the benchmark corpus) and sorted them to print 20.
     *
     * @return at most {@code top} entries by count, descending, then by word; the same as the head of
     *         {@link #rank} of {@link WordCounts#toMap()}.
     */
    static List<Map.Entry<String, Long>> top(final WordCounts counts, final int top) {
        if (top <= 0) {
            return List.of();
        }
        // The heap's head is the worst entry kept.
        final PriorityQueue<Map.Entry<String, Long>> best = new PriorityQueue<>(top + 1, RANKING.reversed());
        counts.forEach((bytes, offset, length, count) -> {
            if (best.size() == top && count < best.peek().getValue()) {
                return;
            }
            final Map.Entry<String, Long> entry = Map.entry(new String(bytes, offset, length, StandardCharsets.UTF_8),
                count);
            if (best.size() < top) {
                best.add(entry);
            } else if (RANKING.compare(entry, best.peek()) < 0) {
                best.poll();
                best.add(entry);
            }
        });
        final List<Map.Entry<String, Long>> ranked = new ArrayList<>(best);
        ranked.sort(RANKING);
        return ranked;
    }

    static void printTop(final PrintWriter out, final List<Map.Entry<String, Long>> ranked, final int top) {
        for (int i = 0; i < Math.min(top, ranked.size()); i++) {
            out.print(PlainNumbers.grouped(ranked.get(i).getValue(), 12));
            out.print("  ");
            out.print(ranked.get(i).getKey());
            out.println();
        }
    }

    static void printSummary(final PrintWriter out, final int files, final WordCountJob.Result result,
        final int distinct) {
        final double seconds = result.pipeline().elapsed().toNanos() / 1e9;
        // A StringBuilder, not a concatenation: this module's first concatenation of a shape spins method handles.
        out.print(new StringBuilder().append(PlainNumbers.grouped(result.counts().total())).append(" words (")
            .append(PlainNumbers.grouped(distinct)).append(" distinct) in ").append(files).append(" file(s), ")
            .append(PlainNumbers.fixed(result.pipeline().bytesRead() / 1e6, 1)).append(" MB in ")
            .append(PlainNumbers.fixed(seconds, 2)).append(" s (")
            .append(PlainNumbers.fixed(result.pipeline().megabytesPerSecond(), 1)).append(" MB/s), ")
            .append(result.pipeline().failures().size()).append(" skipped"));
        out.println();
    }

    static void printJson(final PrintWriter out, final int files, final WordCountJob.Result result,
        final List<Map.Entry<String, Long>> ranked) {
        out.print("{\"files\":" + files + ",\"bytes\":" + result.pipeline().bytesRead() + ",\"words\":"
            + result.counts().total() + ",\"distinct\":" + ranked.size() + ",\"seconds\":"
            + String.format(Locale.ROOT, "%.3f", result.pipeline().elapsed().toNanos() / 1e9) + ",\"failures\":[");
        final List<FailureRecord> failures = result.pipeline().failures();
        for (int i = 0; i < failures.size(); i++) {
            out.print((i > 0 ? "," : "") + failures.get(i).toJson());
        }
        out.print("],\"counts\":{");
        for (int i = 0; i < ranked.size(); i++) {
            out.print((i > 0 ? "," : "") + FailureRecord.quote(ranked.get(i).getKey()) + ":" + ranked.get(i).getValue());
        }
        out.println("}}");
    }
}
