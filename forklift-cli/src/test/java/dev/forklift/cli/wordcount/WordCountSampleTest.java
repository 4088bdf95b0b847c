package dev.forklift.cli.wordcount;

import dev.forklift.cli.CommandRun;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --sample DIR} counts the sample and nothing else; a glob that matches nothing is named in a warning. */
@ProcessDeadline(seconds = 120)
class WordCountSampleTest {
    @Test
    void aSampleIntoADirectoryWithOtherFilesIsRefusedAndTouchesNothing(@TempDir final Path dir) throws Exception {
        final Path notes = Files.writeString(dir.resolve("notes.txt"), "my own words\n");

        final CommandRun run = CommandRun.of("wordcount", "--sample", dir.toString(), "--sample-mb", "1");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("forklift wordcount: --sample " + dir + ": the directory is not empty")
            .contains("'notes.txt'");
        assertThat(list(dir)).containsExactly(notes);
    }

    @Test
    void aSampleIsWrittenAgainIntoADirectoryThatHoldsAnEarlierSampleOnly(@TempDir final Path dir) throws Exception {
        final Path sample = dir.resolve("sample");
        final CommandRun first = CommandRun.of("wordcount", "--quiet", "--sample", sample.toString(),
            "--sample-mb", "1");
        final CommandRun second = CommandRun.of("wordcount", "--quiet", "--sample", sample.toString(),
            "--sample-mb", "1");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("in 4 file(s)");
        assertThat(list(sample)).hasSize(4);
    }

    @Test
    void aGlobThatMatchesNothingIsNamedInAWarning(@TempDir final Path dir) throws Exception {
        final Path text = Files.writeString(dir.resolve("a.txt"), "one two two\n");
        final String glob = dir + "/*.log";

        final CommandRun run = CommandRun.of("wordcount", "--quiet", text.toString(), glob);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("forklift wordcount: warning: '" + glob + "' matches no file");
        assertThat(run.out()).contains("3 words (2 distinct) in 1 file(s)");
    }

    private static List<Path> list(final Path dir) throws Exception {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().collect(Collectors.toList());
        }
    }
}
