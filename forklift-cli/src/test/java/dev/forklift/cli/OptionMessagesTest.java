package dev.forklift.cli;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Messages a command-line user reads name the options they typed, never the library's methods or settings. */
@ProcessDeadline(seconds = 90)
class OptionMessagesTest {
    /** A library method or setting in a message: {@code workerLimit(n)}, {@code heartbeatTimeout=PT0.5S}, ... */
    private static final Pattern LIBRARY_NAME = Pattern.compile("\\b[a-z]+[A-Z][A-Za-z]*(\\(|=|\\b)");

    @Test
    void badValuesOfRunAreNamedByTheirOption(@TempDir final Path dir) throws Exception {
        final Path input = Files.writeString(dir.resolve("in.txt"), "x\n");
        final Map<String[], String> expected = Map.of(
            new String[] {"--workers", "5000"}, "--workers 5000: at most 4096",
            new String[] {"--workers", "0"}, "--workers 0: at least 1",
            new String[] {"--heartbeat-timeout", "500ms"}, "--heartbeat-timeout 500ms: at least 1s",
            new String[] {"--max-rss", "1m"}, "--max-rss 1m: at least 32m",
            new String[] {"--max-input-size", "512"}, "--max-input-size 512: at least 1k",
            new String[] {"--max-input-size", "64m"}, "--max-input-size 64m: at most 63m",
            new String[] {"--retries", "101"}, "--retries 101: at most 100",
            new String[] {"--timeout", "5 parsecs"}, "--timeout: invalid duration '5 parsecs'");
        for (final Map.Entry<String[], String> bad : expected.entrySet()) {
            final CommandRun run = CommandRun.of("run", "--task", ScriptedTask.class.getName(), bad.getKey()[0],
                bad.getKey()[1], input.toString());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).startsWith("forklift run: " + bad.getValue());
            assertThat(LIBRARY_NAME.matcher(run.err()).find()).as(run.err()).isFalse();
        }
    }

    @Test
    void badValuesOfChaosAreNamedOneByOne() {
        final CommandRun run = CommandRun.of("chaos", "--producers", "65");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("forklift chaos: --producers 65: at most 64");
    }

    @Test
    void anInputTooLargeForAMessageNamesTheOptionThatRaisesTheLimit(@TempDir final Path dir) throws Exception {
        final Path input = Files.writeString(dir.resolve("in.txt"), "small\n" + "y".repeat(8_000) + "\nend\n");

        final CommandRun run = CommandRun.of("run", "--task", ScriptedTask.class.getName(), "--workers", "1",
            "--max-input-size", "4k", "--quiet", input.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.out()).isEqualTo("small\n\nend\n");
        assertThat(run.err()).contains("line 2").contains("raise --max-input-size").doesNotContain("maxMessageBytes");
    }

    @Test
    void aLargerMaxInputSizeLetsALargeInputThrough(@TempDir final Path dir) throws Exception {
        final String large = "z".repeat(2_000_000);
        final Path input = Files.writeString(dir.resolve("in.txt"), large + "\n");

        final CommandRun run = CommandRun.of("run", "--task", ScriptedTask.class.getName(), "--workers", "1",
            "--max-input-size", "8m", "--quiet", input.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(large + "\n");
    }
}
