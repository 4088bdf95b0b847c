package dev.forklift.cli.run;

import dev.forklift.cli.CommandRun;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ProcessDeadline(seconds = 90)
class RunCommandTest {
    static CommandRun run(final String... args) {
        return CommandRun.of(args);
    }

    @Test
    void inOrderAFailedInputLeavesAnEmptyLineAndIsListedOnStandardError(@TempDir final Path dir) throws Exception {
        final Path first = dir.resolve("first.txt");
        final Path second = dir.resolve("second.txt");
        Files.writeString(first, "alpha\nboom\nslow\n");
        Files.writeString(second, "gamma\n");
        final CommandRun run = run("run", "--task", ShoutTask.class.getName(), "--workers", "2", "--timeout", "1500ms",
            "--retries", "0", first.toString(), second.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("ALPHA\n\n\nGAMMA\n");
        assertThat(run.err()).contains("2 input(s) failed")
            .contains("line 2 \"boom\": java.lang.IllegalStateException: boom!")
            .containsPattern("line 3 \"slow\": TaskTimeoutException: .*1500 ms");
    }

    @Test
    void unorderedFromStandardInputToAnOutputFile(@TempDir final Path dir) throws Exception {
        final Path output = dir.resolve("out.txt");
        final InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream("one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8)));
        final CommandRun run;
        try {
            run = run("run", "--task", ShoutTask.class.getName(), "--workers", "1", "--unordered",
                "--classpath", Path.of(ShoutTask.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString(), "--output", output.toString(), "-");
        } finally {
            System.setIn(stdin);
        }
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(Files.readAllLines(output)).containsExactlyInAnyOrder("ONE", "TWO", "THREE");
    }

    @Test
    void usageErrorsExitWithTwoAndNameTheBadValue(@TempDir final Path dir) throws Exception {
        final Path input = dir.resolve("in.txt");
        Files.writeString(input, "x\n");
        final String task = ShoutTask.class.getName();
        assertThat(run("run", "--task", task, "--timeout", "5 parsecs", input.toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
            .satisfies(r -> assertThat(r.err()).contains("invalid duration '5 parsecs'"));
        assertThat(run("run", "--task", "no.such.Task", input.toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
            .satisfies(r -> assertThat(r.err()).contains("task class 'no.such.Task' not found"));
        assertThat(run("run", "--task", String.class.getName(), input.toString()))
            .satisfies(r -> assertThat(r.err()).contains("must be a public concrete class"));
        assertThat(run("run", "--task", task, "--workers", "0", input.toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
            .satisfies(r -> assertThat(r.err()).contains("workers=0"));
        assertThat(run("run", "--task", task, dir.resolve("missing.txt").toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2));
        assertThat(run("run", "--task", task).exitCode()).isEqualTo(2);
    }

    @Test
    void durationsReadLikeTheDocsSay() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(List.of("1h")).allSatisfy(text -> assertThat(Durations.parse(text)).isEqualTo(Duration.ofHours(1)));
        assertThatThrownBy(() -> Durations.parse("0s")).hasMessageContaining("'0s'");
        assertThatThrownBy(() -> Durations.parse("-3s")).hasMessageContaining("'-3s'");
    }
}
