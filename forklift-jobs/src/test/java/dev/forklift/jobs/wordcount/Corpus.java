package dev.forklift.jobs.wordcount;

import java.util.SplittableRandom;

/** Small generated texts for the tests: Zipf-like words, several scripts, punctuation and line breaks. */
final class Corpus {
    private static final String[] STEMS = {"the", "Forklift", "queue", "Grüße", "Köln", "ΣΟΦΙΑ", "σοφία", "東京",
        "こんにちは", "мир", "İzmir", "naïve", "x2", "2024", "Ǆemal", "straße", "ﬁne", "émigré", "Ω", "word"};
    private static final String[] SEPARATORS = {" ", " ", " ", ", ", ". ", "\n", "\t", " - ", "_", "²", "'", "\r\n"};

    private Corpus() {
    }

    static String mixedText(final long seed, final int words) {
        final SplittableRandom random = new SplittableRandom(seed);
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            final int rank = (int) Math.min(STEMS.length - 1, Math.floor(Math.pow(random.nextDouble(), 3) * STEMS.length));
            text.append(STEMS[rank]);
            if (random.nextInt(10) == 0) {
                text.append(random.nextInt(100));
            }
            text.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
        }
        return text.toString();
    }
}
