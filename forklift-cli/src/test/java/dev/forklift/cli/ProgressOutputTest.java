package dev.forklift.cli;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long commands show they are alive: without a terminal a plain progress line on standard error every few seconds;
 * in a terminal, run's line has a bar, a percentage and an ETA.
 */
@ProcessDeadline(seconds = 120)
class ProgressOutputTest {
    private static Path sleepyInput(final Path dir, final int lines) throws Exception {
        return Files.writeString(dir.resolve("in.txt"), "sleep 100\n".repeat(lines));
    }

    @Test
    void runWithoutATerminalPrintsAProgressLineWithItsTotalAndAnEta(@TempDir final Path dir) throws Exception {
        final Path input = sleepyInput(dir, 70);

        final CommandRun run = CommandRun.of("run", "--task", ScriptedTask.class.getName(), "--workers", "1",
            input.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        final List<String> lines = run.err().lines().toList();
        assertThat(lines.size()).as(run.err()).isGreaterThanOrEqualTo(2);
        assertThat(lines.get(0)).as("a line while it ran").matches("run: \\d+/70 done \\(\\d+%\\), 0 failed, .*ETA .*");
        assertThat(lines.get(lines.size() - 1)).startsWith("run: 70/70 done (100%)");
    }

    @Test
    void chaosWithoutATerminalSaysItIsAliveEveryFewSeconds() {
        final CommandRun run = CommandRun.of("chaos", "--minutes", "0.15", "--kill-every", "2s", "--workers", "1",
            "--producers", "1");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.err()).as(run.err()).containsPattern("(?m)^chaos: [\\d,]+ done \\(\\d+%\\), .*ETA 0m0\\ds.*kills \\d+$");
    }

    @Test
    void runInATerminalDrawsABarWithAnEta(@TempDir final Path dir) throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/script").canExecute(), "needs script(1) to give the run a terminal");
        final Path input = sleepyInput(dir, 30);
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final String command = String.join(" ", quote(java), "-cp", quote(System.getProperty("java.class.path")),
            Main.class.getName(), "run", "--task", ScriptedTask.class.getName(), "--workers", "1",
            "--output", quote(dir.resolve("out.txt").toString()), quote(input.toString()));
        final Process process = new ProcessBuilder("/usr/bin/script", "-qec", command, "/dev/null")
            .redirectErrorStream(true).start();
        process.getOutputStream().close();
        final byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        final String terminal = new String(output, StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(terminal).isZero();
        assertThat(terminal).as(terminal).containsPattern("\r\033\\[K\\[#*\\.*\\] run: \\d+/30 done \\(\\d+%\\), .*ETA ");
    }

    private static String quote(final String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
