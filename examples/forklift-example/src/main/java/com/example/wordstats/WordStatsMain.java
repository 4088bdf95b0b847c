package com.example.wordstats;

import java.util.List;
import java.util.Map;

/**
 * Counts the words of the sample text three ways (a pool, two processes and a queue, a pipeline) and checks that
 * they agree. Returns normally when they do, and throws otherwise, so that it also runs under {@code mvn exec:java}
 * (which must not see {@code System.exit}).
 */
public final class WordStatsMain {
    private WordStatsMain() {
    }

    /**
     * @param args none.
     * @throws Exception if a step fails or the counts differ.
     */
    public static void main(final String[] args) throws Exception {
        final List<String> lines = TextStats.sampleLines();
        final long expected = lines.stream().mapToLong(TextStats::wordCount).sum();

        final long pooled = PoolStep.wordCounts(lines).stream().mapToLong(Integer::longValue).sum();
        final long queued = QueueStep.countWords(lines);
        final Map<String, Long> frequencies = PipelineStep.frequencies(lines);
        final long piped = frequencies.values().stream().mapToLong(Long::longValue).sum();

        System.out.println("words counted in this JVM: " + expected);
        System.out.println("pool of worker JVMs:       " + pooled);
        System.out.println("producer -> queue -> consumer JVMs: " + queued);
        System.out.println("pipeline:                  " + piped + " (most frequent: the="
            + frequencies.get("the") + ")");
        if (pooled != expected || queued != expected || piped != expected) {
            throw new IllegalStateException("the counts differ: expected " + expected + ", pool " + pooled
                + ", queue " + queued + ", pipeline " + piped);
        }
        System.out.println("ok: every way counted " + expected + " words");
    }
}
