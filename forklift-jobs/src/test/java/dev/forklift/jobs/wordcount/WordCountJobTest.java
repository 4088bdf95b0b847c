package dev.forklift.jobs.wordcount;

import dev.forklift.pipeline.FailureRecord;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The word-count pipeline across real processes, exact against an independent count. */
@ProcessDeadline(seconds = 120)
class WordCountJobTest {
    @Test
    void shouldCountExactlyOverManySourcesAndSkipTheUnreadableOnes(@TempDir final Path dir) throws Exception {
        final List<Path> readable = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            readable.add(Files.writeString(dir.resolve("text-" + i + ".txt"), Corpus.mixedText(i, 20_000)));
        }
        readable.add(Files.writeString(dir.resolve("empty.txt"), ""));
        readable.add(Files.writeString(dir.resolve("long-line.txt"), "Lang Wort ".repeat(150_000) + "\n"));
        final byte[] noise = new byte[100_000];
        new SplittableRandom(3).nextBytes(noise);
        readable.add(Files.write(dir.resolve("binary.bin"), noise));
        final Path missing = dir.resolve("missing.txt");
        final Path directory = Files.createDirectories(dir.resolve("a-directory"));
        final List<Path> all = new ArrayList<>(readable);
        all.add(2, missing);
        all.add(directory);

        final WordCountJob.Result result = new WordCountJob(all).producers(2).consumers(2).run();

        assertThat(result.counts().toMap()).isEqualTo(ReferenceCount.count(readable));
        assertThat(result.pipeline().failures()).extracting(FailureRecord::source)
            .containsExactlyInAnyOrder(missing.toString(), directory.toString());
        assertThat(result.pipeline().failures()).allSatisfy(f -> assertThat(f.stage()).isEqualTo("read"));
        assertThat(result.pipeline().failures()).anySatisfy(f -> assertThat(f.error()).contains("NoSuchFile"));
        assertThat(result.pipeline().sourcesDone()).isEqualTo(all.size());
        assertThat(result.pipeline().bytesRead()).isEqualTo(readable.stream().mapToLong(p -> p.toFile().length()).sum());
    }

    @Test
    void shouldCountExactlyWhenTheParentMergesTheProducersTables(@TempDir final Path dir) throws Exception {
        final List<Path> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            files.add(Files.writeString(dir.resolve("text-" + i + ".txt"), Corpus.mixedText(10 + i, 20_000)));
        }

        final WordCountJob.Result byDefault = new WordCountJob(files).producers(2).run();
        final WordCountJob.Result oneProducer = new WordCountJob(files).producers(1).consumers(0).run();

        final var expected = ReferenceCount.count(files);
        assertThat(byDefault.counts().toMap()).isEqualTo(expected);
        assertThat(oneProducer.counts().toMap()).isEqualTo(expected);
        assertThat(byDefault.pipeline().failures()).isEmpty();
    }

    @Test
    void shouldCountExactlyWhenProducersShareTheUnitsOfOneBigFile(@TempDir final Path dir) throws Exception {
        final String chunk = Corpus.mixedText(21, 20_000) + "\n";
        final int repeats = (int) (20_000_000L / chunk.getBytes(java.nio.charset.StandardCharsets.UTF_8).length) + 1;
        final Path big = Files.writeString(dir.resolve("big.txt"), chunk.repeat(repeats));
        final Path small = Files.writeString(dir.resolve("small.txt"), chunk);
        final java.util.Map<String, Long> expected = new java.util.HashMap<>();
        ReferenceCount.countText(chunk).forEach((word, count) -> expected.put(word, count * (repeats + 1)));
        final WorkUnits plan = WorkUnits.plan(List.of(big, small), 2, dev.forklift.pipeline.Sources.DEFAULT_BLOCK_BYTES);
        final List<Long> filesDone = new ArrayList<>();

        final WordCountJob.Result result = new WordCountJob(List.of(big, small)).producers(2).consumers(0)
            .onProgress((bytes, items, failures, done) -> filesDone.add(done)).run();

        assertThat(plan.producers()).isEqualTo(2);
        assertThat(plan.sources()).hasSizeGreaterThan(3);
        assertThat(result.counts().toMap()).isEqualTo(expected);
        assertThat(result.pipeline().sourcesDone()).isEqualTo(plan.sources().size());
        assertThat(result.pipeline().bytesRead()).isEqualTo(Files.size(big) + Files.size(small));
        assertThat(filesDone.stream().mapToLong(Long::longValue).sum()).as("files done, told to the listener")
            .isEqualTo(2);
    }

    @Test
    void shouldRejectANegativeConsumerCountNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WordCountJob(List.of()).consumers(-1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consumers=-1");
    }
}
