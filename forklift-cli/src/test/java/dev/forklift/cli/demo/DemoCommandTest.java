package dev.forklift.cli.demo;

import dev.forklift.cli.ChildWatch;
import dev.forklift.cli.CommandRun;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@ProcessDeadline(seconds = 120)
class DemoCommandTest {
    static CommandRun run(final String... args) {
        return CommandRun.of(args);
    }

    @Test
    void shouldPlayTheSceneWithThreeDistinctProcessesAndALosslessSummary() {
        final CommandRun run = run("demo", "--source-count", "3", "--items-per-source", "4000");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("lossless: 12,000 items from 3 source(s)");
        final long self = ProcessHandle.current().pid();
        final List<String[]> rows = Arrays.stream(run.out().split("\n"))
            .filter(line -> line.matches("\\d+ +\\d+ +(parent|producer|consumer) .*"))
            .map(line -> line.trim().split(" +")).collect(Collectors.toList());
        final List<String> pids = rows.stream().map(r -> r[0]).distinct().collect(Collectors.toList());
        assertThat(pids).hasSize(3).contains(Long.toString(self));
        assertThat(rows).filteredOn(r -> !r[2].equals("parent")).allSatisfy(r -> assertThat(r[1])
            .as("children's parent pid").isEqualTo(Long.toString(self)));
        final Matcher processes = Pattern.compile("processes: parent (\\d+), producer (\\d+), consumer (\\d+)")
            .matcher(run.out());
        assertThat(processes.find()).as(run.out()).isTrue();
        assertThat(processes.group(1)).isEqualTo(Long.toString(self));
        assertThat(processes.group(2)).isNotEqualTo(processes.group(3)).isNotEqualTo(processes.group(1));
    }

    @Test
    void shouldScaleOutToSeveralProducersAndConsumers() {
        final CommandRun run = run("demo", "--no-table", "--producers", "2", "--consumers", "3", "--source-count", "5",
            "--items-per-source", "3000");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("lossless: 15,000 items from 5 source(s)")
            .containsPattern("producer \\d+, producer \\d+, consumer \\d+, consumer \\d+, consumer \\d+");
    }

    @Test
    void shouldReadTheFilesOfASourcesDirectory(@TempDir final Path dir) throws Exception {
        Files.writeString(dir.resolve("ascii.txt"), "one two\nthree four five\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("unicode.txt"), "Grüße aus Köln\nこんにちは 世界\nΑθήνα\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("empty.txt"), "");
        Files.writeString(dir.resolve("long.txt"), "word ".repeat(5000) + "\nshort\n");
        Files.write(dir.resolve("binary.bin"), new byte[] {0, (byte) 0xff, (byte) 0xfe, 10, 65, 0, 13, 10});
        Files.createDirectories(dir.resolve("nested"));
        Files.writeString(dir.resolve("nested/deep.txt"), "deep line\n");

        final CommandRun run = run("demo", "--no-table", "--sources", dir.toString(), "--consumers", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("from 6 source(s)").contains("binary.bin").contains("empty.txt").contains("unicode.txt").contains("nested/deep.txt");
    }

    @Test
    void shouldRefuseASourcesDirectoryThatCannotBeReadWithOneLineBeforeStartingAnyProcess(@TempDir final Path dir)
        throws Exception {
        final Path absent = dir.resolve("missing");
        final ChildWatch missing = ChildWatch.during(() -> run("demo", "--sources", absent.toString()));
        assertThat(missing.run().exitCode()).isEqualTo(2);
        assertThat(missing.run().err()).isEqualTo("forklift demo: cannot read --sources '" + absent
            + "': no such directory\n");
        assertThat(missing.childrenSeenAt()).as("producer or consumer JVMs started").isZero();

        final Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        final CommandRun notADirectory = run("demo", "--sources", file.toString());
        assertThat(notADirectory.exitCode()).isEqualTo(2);
        assertThat(notADirectory.err()).isEqualTo("forklift demo: cannot read --sources '" + file
            + "': not a directory\n");
    }

    @Test
    void shouldRejectInvalidOptionsWithUsageAndExitCodeTwo() {
        final CommandRun zeroProducers = run("demo", "--producers", "0");
        assertThat(zeroProducers.exitCode()).isEqualTo(2);
        assertThat(zeroProducers.err()).contains("--producers must be in 1..32: 0")
            .contains("see 'forklift demo --help'");

        final CommandRun unknown = run("demo", "--no-such-option");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("--no-such-option").contains("see 'forklift demo --help'");

        final CommandRun notANumber = run("demo", "--consumers", "many");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).contains("many");
    }
}
