package dev.forklift.jobs.wordcount;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tokenizer's ASCII fast path and its hand-over to the non-ASCII path, against a plain reference. */
class TokenizerFastPathTest {
    /** The rule on well-formed text, the obvious way: code points, {@link String#toLowerCase(Locale)}. */
    private static Map<String, Long> reference(final String text) {
        return ReferenceCount.countText(text);
    }

    private static Map<String, Long> tokenize(final byte[] text) {
        final WordCounts counts = new WordCounts();
        new Tokenizer().count(text, 0, text.length, counts);
        return counts.toMap();
    }

    private static Map<String, Long> tokenize(final String text) {
        return tokenize(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldLowerCaseEveryLetterOrDigitCodePointLikeStringDoes() {
        final StringBuilder text = new StringBuilder();
        for (int cp = 0x80; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.isLetterOrDigit(cp) && !Character.isSurrogate((char) cp)) {
                // Alone, after ASCII, before ASCII, and after 8 ASCII bytes (a chunk boundary).
                text.appendCodePoint(cp).append(' ').append('A').appendCodePoint(cp).append(' ')
                    .appendCodePoint(cp).append("Bc ").append("ABCDEFGH").appendCodePoint(cp).append('\n');
            }
        }
        final String all = text.toString();

        assertThat(tokenize(all)).isEqualTo(reference(all));
    }

    @Test
    void shouldFoldNonAsciiCaseAsTheRuleSays() {
        assertThat(tokenize("ÄPFEL Äpfel äpfel")).containsOnly(Map.entry("äpfel", 3L));
        assertThat(tokenize("ΟΔΥΣΣΕΥΣ Σ ΣΑΣ ΑΣΑ")).isEqualTo(reference("ΟΔΥΣΣΕΥΣ Σ ΣΑΣ ΑΣΑ"))
            .containsEntry("οδυσσευς", 1L).containsEntry("σας", 1L).containsEntry("ασα", 1L);
        assertThat(tokenize("İstanbul ISTANBUL")).containsEntry("i̇stanbul", 1L).containsEntry("istanbul", 1L);
        assertThat(tokenize("𐐀𐐁 Straße STRASSE")).containsEntry("𐐨𐐩", 1L).containsEntry("straße", 1L)
            .containsEntry("strasse", 1L);
    }

    @Test
    void shouldSplitAtNonAsciiSeparatorsAndMalformedBytesAtAnyOffset() {
        for (int length = 0; length <= 20; length++) {
            final String prefix = "abcdefghijklmnopqrstuvwxyz".substring(0, length).toUpperCase(Locale.ROOT);
            for (final String joint : new String[] {"é", "—", "\u0301", "²", "東", " "}) {
                final String text = prefix + joint + "Tail";
                assertThat(tokenize(text)).as(text).isEqualTo(reference(text));
            }
            final byte[] ascii = (prefix + "x").getBytes(StandardCharsets.US_ASCII);
            for (final int bad : new int[] {0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xF5, 0xFF}) {
                final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                bytes.writeBytes(ascii);
                bytes.write(bad);
                bytes.writeBytes(ascii);
                final Map<String, Long> expected = reference(prefix + "x " + prefix + "x");
                assertThat(tokenize(bytes.toByteArray())).as("%s + %x", prefix, bad).isEqualTo(expected);
                // A lead byte at the very end (truncated sequence) is a separator too.
                assertThat(tokenize(java.util.Arrays.copyOf(ascii, ascii.length + 1)).get(prefix.toLowerCase(Locale.ROOT)
                    + "x")).isEqualTo(1L);
            }
        }
    }

    @Test
    void shouldKeepWordsOfEveryLengthApart() {
        final StringBuilder text = new StringBuilder();
        for (int length = 1; length <= 70; length++) {
            for (int n = 0; n < length; n++) {
                text.append("a".repeat(length)).append(' ').append("A".repeat(length - 1)).append("B ")
                    .append("é".repeat(length)).append(' ').append("a".repeat(length - 1)).append("é\n");
            }
        }
        final String all = text.toString();
        final Map<String, Long> counts = tokenize(all);

        assertThat(counts).isEqualTo(reference(all));
        assertThat(counts.get("a".repeat(17))).isEqualTo(17L);
        assertThat(counts.get("a".repeat(16) + "b")).isEqualTo(17L);
    }

    @Test
    void shouldCountVeryLongWords() {
        final String ascii = "Long".repeat(50_000);
        final String mixed = "Lång".repeat(50_000);
        final String text = ascii + " " + mixed + " " + ascii + "\n" + ascii + "x";

        assertThat(tokenize(text)).isEqualTo(reference(text)).hasSize(3);
    }

    @Test
    void shouldGiveTheSameCountsWhateverTheBlockSize(@TempDir final Path dir) throws Exception {
        final SplittableRandom random = new SplittableRandom(11);
        final String[] words = {"alpha", "Beta", "GAMMA", "délta", "ΣΙΓΜΑ", "東京", "x", "abcdefghijklmnopqrstu",
            "İi", "Ää", "42"};
        final String[] separators = {" ", "\n", ", ", "—", "_", "\t"};
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            text.append(words[random.nextInt(words.length)]).append(separators[random.nextInt(separators.length)]);
        }
        final Path file = Files.writeString(dir.resolve("text.txt"), text);
        final Map<String, Long> expected = reference(text.toString());

        for (final int blockBytes : new int[] {1, 7, 64, 4096, 1 << 20}) {
            final WordCounts counts = new WordCounts();
            final Tokenizer tokenizer = new Tokenizer();
            WordCountJob.countBlocks(file, blockBytes, tokenizer, counts);
            assertThat(counts.toMap()).as("block %d", blockBytes).isEqualTo(expected);
            assertThat(tokenizer.words()).isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    @Test
    void shouldHashChunksAndBytesAlikeAndRefuseCountOverflow() {
        for (final String word : new String[] {"a", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq",
            "é東京", "a\0", "\0"}) {
            final byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            final long[] chunks = new long[(bytes.length + 7) / 8 + 1];
            for (int i = 0; i < bytes.length; i++) {
                chunks[i / 8] |= (bytes[i] & 0xFFL) << (8 * (i % 8));
            }
            assertThat(WordCounts.hash(chunks, bytes.length)).isEqualTo(WordCounts.hash(bytes, 0, bytes.length));
        }
        final WordCounts counts = new WordCounts();
        counts.add("a", 1);
        counts.add("a\0", 2);
        counts.add("\0", 3);
        assertThat(counts.toMap()).containsOnly(Map.entry("a", 1L), Map.entry("a\0", 2L), Map.entry("\0", 3L));
        counts.add("big", (1L << 48) - 2);
        counts.add("big", 1);
        assertThatThrownBy(() -> counts.add("big", 1)).isInstanceOf(ArithmeticException.class);
    }
}
