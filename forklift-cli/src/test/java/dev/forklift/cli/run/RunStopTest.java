package dev.forklift.cli.run;

import dev.forklift.cli.CommandRun;
import dev.forklift.cli.Main;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, item 2: a real {@code forklift run} process stopped by SIGINT or SIGTERM with hundreds of inputs done
 * leaves every finished result on disk, prints one summary line, exits 130 or 143, and {@code --resume} then runs
 * exactly the rest: every input once in the end, none twice, none missing, also when the continuation is itself
 * stopped and continued.
 */
@ProcessDeadline(seconds = 300)
class RunStopTest {
    private static final int INPUTS = 3000;
    private static final int DONE_BEFORE_SIGNAL = 300;

    @Test
    void ctrlCInOrderKeepsEveryFinishedResultAndResumeCompletesExactlyTheRest(@TempDir final Path dir)
        throws Exception {
        final Path input = writeInputs(dir);
        final Path output = dir.resolve("out.txt");
        final Path failed = dir.resolve("failed.jsonl");
        final Path err = dir.resolve("err.txt");

        final Process run = start(err, "--workers", "2", "--output", output.toString(), "--failed", failed.toString(),
            input.toString());
        awaitLines(output, DONE_BEFORE_SIGNAL, run, err);
        signal(run, "INT");

        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
        final String stderr = Files.readString(err);
        assertThat(run.exitValue()).as(stderr).isEqualTo(130);
        final List<String> lines = stderr.lines().filter(l -> l.startsWith("forklift run:"))
            .collect(Collectors.toList());
        assertThat(lines).as(stderr).hasSize(1);
        final Matcher summary = Pattern.compile("forklift run: stopped by SIGINT: (\\d+) done, (\\d+) failed, not run: "
            + "every input from " + Pattern.quote(input.toString()) + " line (\\d+) on; continue with: forklift run "
            + "--resume " + Pattern.quote(output + ".resume")).matcher(lines.get(0));
        assertThat(summary.matches()).as(lines.get(0)).isTrue();

        // On disk: exactly the answers to a prefix of the input, each failure of that prefix in --failed.
        final List<String> written = Files.readAllLines(output);
        final int prefix = written.size();
        assertThat(prefix).isGreaterThanOrEqualTo(DONE_BEFORE_SIGNAL).isLessThan(INPUTS);
        assertThat(written).isEqualTo(expectedInOrder().subList(0, prefix));
        assertThat(Long.parseLong(summary.group(1)) + Long.parseLong(summary.group(2))).isEqualTo(prefix);
        assertThat(Long.parseLong(summary.group(3))).isEqualTo(prefix + 1);
        assertThat(failedLines(failed)).isEqualTo(boomLines().stream().filter(l -> l <= prefix)
            .collect(Collectors.toList()));

        final CommandRun resumed = CommandRun.of("run", "--resume", output + ".resume");

        assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(1);
        assertThat(Files.readAllLines(output)).isEqualTo(expectedInOrder());
        assertThat(failedLines(failed)).isEqualTo(boomLines());
        assertThat(Path.of(output + ".resume")).doesNotExist();
        assertThat(CommandRun.of("run", "--resume", output + ".resume").exitCode()).isEqualTo(2);
    }

    @Test
    void sigtermUnorderedKeepsEveryFinishedResultAndResumeCompletesExactlyTheRest(@TempDir final Path dir)
        throws Exception {
        final Path input = writeInputs(dir);
        final Path output = dir.resolve("out.txt");
        final Path failed = dir.resolve("failed.jsonl");
        final Path state = dir.resolve("out.txt.resume");
        final Path err = dir.resolve("err.txt");

        final Process run = start(err, "--workers", "2", "--unordered", "--output", output.toString(), "--failed",
            failed.toString(), input.toString());
        awaitLines(output, DONE_BEFORE_SIGNAL, run, err);
        signal(run, "TERM");

        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
        final String stderr = Files.readString(err);
        assertThat(run.exitValue()).as(stderr).isEqualTo(143);
        final List<String> lines = stderr.lines().filter(l -> l.startsWith("forklift run:"))
            .collect(Collectors.toList());
        assertThat(lines).as(stderr).hasSize(1);
        assertThat(lines.get(0)).matches("forklift run: stopped by SIGTERM: \\d+ done, \\d+ failed, not run: .+; "
            + "continue with: forklift run --resume " + Pattern.quote(state.toString()));

        final List<String> written = Files.readAllLines(output);
        assertThat(written.size()).isGreaterThanOrEqualTo(DONE_BEFORE_SIGNAL).isLessThan(INPUTS);
        assertThat(written).doesNotHaveDuplicates().isSubsetOf(expectedSuccesses());
        assertThat(failedLines(failed)).doesNotHaveDuplicates().isSubsetOf(boomLines());

        // The continuation, itself stopped midway, records again what it did not run.
        final Path err2 = dir.resolve("err2.txt");
        final Process continuation = startRun(err2, "--resume", state.toString());
        awaitLines(output, written.size() + DONE_BEFORE_SIGNAL, continuation, err2);
        signal(continuation, "INT");
        assertThat(continuation.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
        final String stderr2 = Files.readString(err2);
        assertThat(continuation.exitValue()).as(stderr2).isEqualTo(130);
        assertThat(stderr2).containsPattern("forklift run: stopped by SIGINT: \\d+ done, \\d+ failed \\(with the runs "
            + "before: \\d+ done, \\d+ failed\\), not run: .+; continue with: forklift run --resume "
            + Pattern.quote(state.toString()));
        assertThat(Files.readAllLines(output)).doesNotHaveDuplicates().isSubsetOf(expectedSuccesses());

        final CommandRun resumed = CommandRun.of("run", "--resume", state.toString(), "--quiet");

        assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(1);
        assertThat(Files.readAllLines(output)).hasSize(expectedSuccesses().size())
            .containsExactlyInAnyOrderElementsOf(expectedSuccesses());
        assertThat(failedLines(failed)).hasSize(boomLines().size()).containsExactlyInAnyOrderElementsOf(boomLines());
        assertThat(state).doesNotExist();
    }

    private static Process start(final Path err, final String... args) throws IOException {
        final List<String> all = new ArrayList<>(List.of("--task", NapTask.class.getName()));
        all.addAll(List.of(args));
        return startRun(err, all.toArray(new String[0]));
    }

    /** Starts {@code forklift run ARGS} as a process of its own, in this JVM's working directory. */
    private static Process startRun(final Path err, final String... args) throws IOException {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
            System.getProperty("java.class.path"), Main.class.getName(), "run"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    }

    private static void awaitLines(final Path output, final int lines, final Process run, final Path err) {
        Await.until(Duration.ofSeconds(120), () -> {
            try {
                if (!run.isAlive()) {
                    throw new AssertionError("the run ended before it was stopped: " + Files.readString(err));
                }
                return Files.exists(output) && Files.readAllLines(output).size() >= lines;
            } catch (final IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }, () -> lines + " results written to " + output + " while the run goes on");
    }

    private static void signal(final Process run, final String name) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(run.pid())).start().waitFor()).isZero();
    }

    private static Path writeInputs(final Path dir) throws IOException {
        final StringBuilder text = new StringBuilder();
        for (int i = 1; i <= INPUTS; i++) {
            text.append(i % 250 == 0 ? "boom" : "item " + i).append('\n');
        }
        return Files.writeString(dir.resolve("in.txt"), text);
    }

    /** @return the output of a whole run in order: a result per line, an empty line for each failed one. */
    private static List<String> expectedInOrder() {
        final List<String> lines = new ArrayList<>();
        for (int i = 1; i <= INPUTS; i++) {
            lines.add(i % 250 == 0 ? "" : "ITEM " + i);
        }
        return lines;
    }

    private static List<String> expectedSuccesses() {
        return expectedInOrder().stream().filter(l -> !l.isEmpty()).collect(Collectors.toList());
    }

    private static List<Long> boomLines() {
        final List<Long> lines = new ArrayList<>();
        for (long i = 250; i <= INPUTS; i += 250) {
            lines.add(i);
        }
        return lines;
    }

    private static List<Long> failedLines(final Path failed) throws IOException {
        return Files.readAllLines(failed).stream().map(Json::parseObject)
            .peek(record -> assertThat(record).containsEntry("input", "boom"))
            .map(record -> (Long) record.get("line")).collect(Collectors.toList());
    }
}
