package dev.forklift.jobs.wordcount;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The tokenizing rule, in one thread: exact against the reference on awkward text. */
class TokenizerTest {
    @Test
    void shouldFollowTheRuleOnNonAsciiText() {
        final WordCounts counts = new WordCounts();
        final byte[] text = "Hello, HELLO héllo ΟΔΥΣΣΕΥΣ İstanbul snake_case x²y 東京 42 4２\n"
            .getBytes(StandardCharsets.UTF_8);
        new Tokenizer().count(text, 0, text.length, counts);

        assertThat(counts.toMap()).containsEntry("hello", 2L).containsEntry("héllo", 1L)
            .containsEntry("οδυσσευς", 1L).containsEntry("i̇stanbul", 1L).containsEntry("snake", 1L)
            .containsEntry("case", 1L).containsEntry("x", 1L).containsEntry("y", 1L).containsEntry("東京", 1L)
            .containsEntry("42", 1L).containsEntry("4２", 1L).hasSize(11);
    }

    @Test
    void shouldMatchTheReferenceOnRandomBytesAndMixedText(@TempDir final Path dir) throws Exception {
        final SplittableRandom random = new SplittableRandom(7);
        final byte[] noise = new byte[200_000];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) random.nextInt(256);
        }
        final Path binary = Files.write(dir.resolve("noise.bin"), noise);
        final Path mixed = Files.writeString(dir.resolve("mixed.txt"), Corpus.mixedText(3, 5_000));

        final Map<String, Long> expected = ReferenceCount.count(List.of(binary, mixed));

        assertThat(WordCountJob.countSingleThreaded(List.of(binary, mixed)).toMap()).isEqualTo(expected);
    }

    @Test
    void shouldCountAcrossBlockBoundariesAndVeryLongLines(@TempDir final Path dir) throws Exception {
        final Path longLine = Files.writeString(dir.resolve("long.txt"),
            "Wort ".repeat(400_000) + "ünïcödé".repeat(200_000) + " end\n");

        final WordCounts counts = WordCountJob.countSingleThreaded(List.of(longLine));

        assertThat(counts.toMap()).isEqualTo(ReferenceCount.count(List.of(longLine)))
            .containsEntry("wort", 400_000L).containsEntry("end", 1L);
    }
}
