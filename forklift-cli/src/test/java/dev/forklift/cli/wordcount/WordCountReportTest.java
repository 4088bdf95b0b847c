package dev.forklift.cli.wordcount;

import dev.forklift.jobs.wordcount.WordCounts;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The top words the command prints come from a heap over the table; they must be the head of the full ranking. */
class WordCountReportTest {
    @Test
    void shouldGiveTheHeadOfTheFullRankingTiesBrokenByWord() {
        final WordCounts counts = new WordCounts();
        final Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            // Few distinct counts, so that many words tie at the cut; some non-ASCII and long words.
            final String word = (i % 7 == 0 ? "é" : "") + Integer.toString(i, 36) + (i % 11 == 0 ? "-long-word-tail" : "");
            counts.add(word, 1 + random.nextInt(5));
        }
        final List<Map.Entry<String, Long>> ranked = WordCountReport.rank(counts.toMap());
        for (final int top : new int[] {1, 2, 20, 999, 5_000, 6_000}) {
            assertThat(WordCountReport.top(counts, top)).as("top %d", top)
                .containsExactlyElementsOf(ranked.subList(0, Math.min(top, ranked.size())));
        }
        assertThat(WordCountReport.top(counts, 0)).isEmpty();
        assertThat(WordCountReport.top(new WordCounts(), 20)).isEmpty();
    }
}
