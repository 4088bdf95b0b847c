package com.example.wordstats;

import dev.forklift.pool.Pool;

import java.time.Duration;
import java.util.List;

/** A pool of worker JVMs counts the words of each line; the results come back in input order. */
public final class PoolStep {
    private PoolStep() {
    }

    /**
     * @param lines the lines.
     * @return the word count of each line, in order.
     */
    public static List<Integer> wordCounts(final List<String> lines) {
        try (Pool pool = Pool.builder().workers(2).taskTimeout(Duration.ofSeconds(30)).build()) {
            return pool.map((String line) -> TextStats.wordCount(line), lines);
        }
    }
}
