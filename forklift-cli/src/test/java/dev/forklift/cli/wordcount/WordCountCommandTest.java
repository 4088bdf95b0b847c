package dev.forklift.cli.wordcount;

import dev.forklift.cli.ChildWatch;
import dev.forklift.cli.CommandRun;
import dev.forklift.jobs.wordcount.WordCountJob;
import dev.forklift.jobs.wordcount.WordCounts;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@ProcessDeadline(seconds = 120)
class WordCountCommandTest {
    static CommandRun run(final String... args) {
        return CommandRun.of(args);
    }

    @Test
    void shouldWriteASampleAndPrintEveryCountAsJson(@TempDir final Path dir) throws Exception {
        final Path sample = dir.resolve("sample");

        final CommandRun run = run("wordcount", "--sample", sample.toString(), "--sample-mb", "1", "--json",
            "--producers", "2", "--consumers", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        final List<Path> files;
        try (Stream<Path> list = Files.list(sample)) {
            files = list.sorted().collect(Collectors.toList());
        }
        assertThat(files).hasSize(4);
        final WordCounts expected = WordCountJob.countSingleThreaded(files);
        assertThat(run.out()).startsWith("{\"files\":4,").contains("\"words\":" + expected.total() + ",")
            .contains("\"distinct\":" + expected.size() + ",").contains("\"failures\":[]");
        final Matcher first = Pattern.compile("\"counts\":\\{\"([^\"]+)\":(\\d+)").matcher(run.out());
        assertThat(first.find()).isTrue();
        assertThat(Long.parseLong(first.group(2))).isEqualTo(expected.count(first.group(1)));
        assertThat(run.err()).contains("wordcount: files: 4/4 done");
    }

    @Test
    void shouldReportAndSkipAFileThatCannotBeRead(@TempDir final Path dir) throws Exception {
        Files.writeString(dir.resolve("a.txt"), "Alpha beta beta\nGAMMA gamma Gamma\n");
        Files.writeString(dir.resolve("b.txt"), "");
        // There, readable by its permissions, yet every read fails (EIO): the producer's own unmapped address 0.
        final String unreadable = "/proc/self/mem";

        final CommandRun run = run("wordcount", "--quiet", "--top", "2", dir.toString(), unreadable);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).containsPattern("3  gamma\\n +2  beta\\n").contains("6 words (3 distinct) in 3 file(s)")
            .contains("1 skipped");
        assertThat(run.err()).contains("skipped " + unreadable).doesNotContain("wordcount: files");
    }

    @Test
    void shouldRefuseAMissingPathWithOneLineBeforeStartingAnyProcess(@TempDir final Path dir) throws Exception {
        Files.writeString(dir.resolve("a.txt"), "alpha\n");
        final Path missing = dir.resolve("nope.txt");

        final ChildWatch watch = ChildWatch.during(() -> run("wordcount", "--quiet", dir.toString(),
            missing.toString()));

        assertThat(watch.run().exitCode()).as(watch.run().err()).isEqualTo(2);
        assertThat(watch.run().err()).isEqualTo("forklift wordcount: cannot read input '" + missing
            + "': no such file or directory\n");
        assertThat(watch.childrenSeenAt()).as("producer or consumer JVMs started").isZero();
        final Path nowhere = dir.resolve("no/dir/dead.jsonl");
        final CommandRun deadLetter = run("wordcount", "--dead-letter", nowhere.toString(), dir.toString());
        assertThat(deadLetter.exitCode()).isEqualTo(2);
        assertThat(deadLetter.err()).isEqualTo("forklift wordcount: cannot write --dead-letter '" + nowhere
            + "': no such directory '" + nowhere.getParent() + "'\n");
    }

    @Test
    void shouldRejectBadOptionsWithExitCodeTwo() {
        assertThat(run("wordcount").exitCode()).isEqualTo(2);
        final CommandRun zero = run("wordcount", "--producers", "0", "x");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--producers must be in 1..64: 0");
    }
}
