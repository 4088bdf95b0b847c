package dev.forklift.jobs.wordcount;

import dev.forklift.pipeline.SourceContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A file cut into parts at any offsets: every byte read once, every word counted once, none cut. */
class FileRangeSourceTest {
    /** Multi-byte letters (2, 3 and 4 bytes) and a multi-byte separator (²) around every ASCII separator. */
    private static final String TEXT = "Grüße aus Köln, 東京 und こんにちは\nnaïve² émigré 𝔘nicode straße 2024\tword-Ω end";

    @Test
    void shouldReadEveryByteOnceAndCountEveryWordOnceWhereverTheFileIsCutInTwo(@TempDir final Path dir)
        throws Exception {
        final Path file = Files.writeString(dir.resolve("text.txt"), TEXT);
        final byte[] bytes = Files.readAllBytes(file);
        final Map<String, Long> expected = ReferenceCount.count(List.of(file));
        for (int cut = 0; cut <= bytes.length + 2; cut++) { // every offset, each inside a UTF-8 sequence too
            final List<FileRangeSource> parts = List.of(new FileRangeSource(file, 0, cut, 7),
                new FileRangeSource(file, cut, Long.MAX_VALUE, 7));

            assertThat(readAll(parts)).as("cut at %d", cut).isEqualTo(bytes);
            assertThat(count(parts).toMap()).as("cut at %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void shouldCountExactlyWhenCutIntoManyPartsSmallerThanAWord(@TempDir final Path dir) throws Exception {
        final Path file = Files.writeString(dir.resolve("mixed.txt"), Corpus.mixedText(5, 400));
        final long size = Files.size(file);
        for (final int partBytes : new int[] {1, 3, 64, 1000}) {
            final List<FileRangeSource> parts = new ArrayList<>();
            for (long from = 0; from < size; from += partBytes) {
                parts.add(new FileRangeSource(file, from, from + partBytes >= size ? Long.MAX_VALUE : from + partBytes,
                    16));
            }

            assertThat(readAll(parts)).as("parts of %d bytes", partBytes).isEqualTo(Files.readAllBytes(file));
            assertThat(count(parts).toMap()).as("parts of %d bytes", partBytes)
                .isEqualTo(ReferenceCount.count(List.of(file)));
        }
    }

    @Test
    void shouldGiveARunLongerThanItsPartWhollyToThePartWhereItStarts(@TempDir final Path dir) throws Exception {
        final Path file = Files.writeString(dir.resolve("run.txt"), "a " + "ü".repeat(100) + " b");

        final List<byte[]> first = blocks(new FileRangeSource(file, 0, 10, 4));
        final List<byte[]> middle = blocks(new FileRangeSource(file, 10, 100, 4));

        assertThat(new String(concat(first), StandardCharsets.UTF_8)).isEqualTo("a " + "ü".repeat(100) + " ");
        assertThat(middle).isEmpty();
    }

    @Test
    void shouldReadAWholeFileInOrderSoThatAPipeCanBeCounted(@TempDir final Path dir) throws Exception {
        final Path fifo = dir.resolve("fifo");
        final Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
        final Thread writer = new Thread(() -> {
            try {
                Files.writeString(fifo, TEXT);
            } catch (final java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        writer.start();

        final List<byte[]> blocks = blocks(new FileRangeSource(fifo, 0, Long.MAX_VALUE, 8));

        writer.join(10_000);
        assertThat(new String(concat(blocks), StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }

    @Test
    void shouldRefuseBadOffsetsNamingThem(@TempDir final Path dir) {
        assertThatThrownBy(() -> new FileRangeSource(dir, 5, 4, 1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("from=5, to=4");
        assertThatThrownBy(() -> new FileRangeSource(dir, 0, 4, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("blockBytes=0");
    }

    private static WordCounts count(final List<FileRangeSource> parts) throws Exception {
        final WordCounts counts = new WordCounts();
        final Tokenizer tokenizer = new Tokenizer();
        for (final FileRangeSource part : parts) {
            for (final byte[] block : blocks(part)) {
                tokenizer.count(block, 0, block.length, counts);
            }
        }
        return counts;
    }

    private static byte[] readAll(final List<FileRangeSource> parts) throws Exception {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (final FileRangeSource part : parts) {
            all.write(concat(blocks(part)));
        }
        return all.toByteArray();
    }

    private static byte[] concat(final List<byte[]> blocks) {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        blocks.forEach(all::writeBytes);
        return all.toByteArray();
    }

    static List<byte[]> blocks(final FileRangeSource source) throws Exception {
        final List<byte[]> blocks = new ArrayList<>();
        source.read(new SourceContext<>() {
            private long position;

            @Override
            public void emit(final byte[] item) {
                blocks.add(item);
            }

            @Override
            public void position(final long newPosition) {
                position = newPosition;
            }

            @Override
            public long position() {
                return position;
            }

            @Override
            public void addBytesRead(final long bytes) {
            }
        });
        return blocks;
    }
}
