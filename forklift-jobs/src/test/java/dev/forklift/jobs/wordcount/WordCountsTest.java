package dev.forklift.jobs.wordcount;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The counting table and its wire form, in one thread. */
class WordCountsTest {
    private static WordCounts sample(final int distinct) {
        final WordCounts counts = new WordCounts();
        for (int i = 0; i < distinct; i++) {
            counts.add((i % 3 == 0 ? "a-much-longer-word-" : "w") + i, i + 1);
        }
        return counts;
    }

    @Test
    void shouldCountShortAndLongWordsAndGrow() {
        final WordCounts counts = sample(10_000);
        counts.add("w1", 5);

        assertThat(counts.size()).isEqualTo(10_000);
        assertThat(counts.count("w1")).isEqualTo(7);
        assertThat(counts.count("a-much-longer-word-9999")).isEqualTo(10_000);
        assertThat(counts.count("absent")).isZero();
        assertThat(counts.total()).isEqualTo(10_000L * 10_001 / 2 + 5);
    }

    @Test
    void shouldSplitByPartitionAndSurviveTheCodec() throws Exception {
        final WordCounts counts = sample(5_000);
        final WordCountsCodec codec = new WordCountsCodec();
        final Map<String, Long> merged = new HashMap<>();
        final int[] pieces = {0};

        counts.split(3, 4_096, (partition, piece) -> {
            pieces[0]++;
            final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            codec.encode(piece, buffer);
            assertThat(buffer.position()).isLessThanOrEqualTo((int) piece.encodedBytesEstimate());
            buffer.flip();
            final WordCounts decoded = codec.decode(buffer);
            decoded.toMap().forEach((word, count) -> {
                final byte[] bytes = word.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                assertThat(WordCounts.partitionOf(WordCounts.hash(bytes, 0, bytes.length), 3)).isEqualTo(partition);
                assertThat(merged.put(word, count)).isNull();
            });
        });

        assertThat(pieces[0]).isGreaterThan(3);
        assertThat(merged).isEqualTo(counts.toMap());
    }

    @Test
    void shouldPassASmallMapWithOnePartitionAsItIs() throws Exception {
        final WordCounts counts = sample(100);
        final java.util.List<WordCounts> pieces = new java.util.ArrayList<>();

        counts.split(1, 1 << 20, (partition, piece) -> pieces.add(piece));
        new WordCounts().split(1, 1 << 20, (partition, piece) -> pieces.add(piece));

        assertThat(pieces).containsExactly(counts);
    }
}
