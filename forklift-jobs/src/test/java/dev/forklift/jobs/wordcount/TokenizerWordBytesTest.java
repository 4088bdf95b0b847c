package dev.forklift.jobs.wordcount;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The eight-bytes-at-a-time test of the tokenizer's fast path, against {@link Character#isLetterOrDigit}. */
class TokenizerWordBytesTest {
    @Test
    void everyByteValueAtEveryPositionAmongRandomNeighbours() {
        final SplittableRandom random = new SplittableRandom(7);
        for (int position = 0; position < 8; position++) {
            for (int value = 0; value < 256; value++) {
                for (int trial = 0; trial < 8; trial++) {
                    long bytes = random.nextLong();
                    bytes &= ~(0xFFL << (position << 3));
                    bytes |= (long) value << (position << 3);
                    final long mask = Tokenizer.asciiWordBytes(bytes);
                    for (int k = 0; k < 8; k++) {
                        final int b = (int) (bytes >>> (k << 3)) & 0xFF;
                        final boolean word = b < 128 && Character.isLetterOrDigit(b);
                        assertThat((mask >>> (k << 3)) & 0xFF).as("byte %d = 0x%02x in 0x%016x", k, b, bytes)
                            .isEqualTo(word ? 0x80L : 0L);
                    }
                }
            }
        }
    }

    @Test
    void wordsCrossingEveryEightByteBoundaryNearTheEndOfTheRange() {
        final Tokenizer tokenizer = new Tokenizer();
        for (int pad = 0; pad < 17; pad++) {
            for (int length = 1; length < 26; length++) {
                final String word = "AbCdEfGhIjKlMnOpQrStUvWxYz".substring(0, length);
                final byte[] text = (" ".repeat(pad) + word + " " + word + "é" + word).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8);
                final WordCounts counts = new WordCounts();
                tokenizer.count(text, 0, text.length, counts);
                final String lower = word.toLowerCase(java.util.Locale.ROOT);
                assertThat(counts.count(lower)).as("pad %d length %d", pad, length).isEqualTo(1);
                assertThat(counts.count(lower + "é" + lower)).as("pad %d length %d", pad, length).isEqualTo(1);
                assertThat(counts.size()).isEqualTo(2);
            }
        }
    }
}
