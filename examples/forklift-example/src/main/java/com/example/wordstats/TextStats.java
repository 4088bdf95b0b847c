package com.example.wordstats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The application's own code: what a word is. It runs in the child JVMs, so it proves that they find the
 * application's classes however the parent was started.
 */
public final class TextStats {
    private TextStats() {
    }

    /**
     * @param line a line of text.
     * @return its words, lower-cased, in order.
     */
    public static List<String> words(final String line) {
        final List<String> words = new ArrayList<>();
        for (final String token : line.split("[^\\p{L}\\p{N}']+")) {
            if (!token.isEmpty()) {
                words.add(token.toLowerCase(Locale.ROOT));
            }
        }
        return words;
    }

    /**
     * @param line a line of text.
     * @return how many words it has.
     */
    public static int wordCount(final String line) {
        return words(line).size();
    }

    /** @return a few lines of sample text. */
    public static List<String> sampleLines() {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add("The quick brown fox jumps over the lazy dog, line " + i);
            lines.add("Forklift moves work between JVMs: pools, queues and pipelines");
        }
        return lines;
    }
}
