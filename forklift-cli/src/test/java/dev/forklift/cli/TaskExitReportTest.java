package dev.forklift.cli;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A task's {@code System.exit(3)} is reported as such, not as the out-of-memory exit code 3 it shares. */
@ProcessDeadline(seconds = 90)
class TaskExitReportTest {
    @Test
    void aTasksSystemExitThreeIsReportedAsTheTasksExitNotAsOutOfMemory(@TempDir final Path dir) throws Exception {
        final Path input = Files.writeString(dir.resolve("in.txt"), "one\nexit 3\ntwo\n");

        final CommandRun run = CommandRun.of("run", "--task", ScriptedTask.class.getName(), "--workers", "1",
            "--retries", "0", "--quiet", input.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("one\n\ntwo\n");
        assertThat(run.err()).contains("the task called System.exit(3)").doesNotContain("out of memory");
    }
}
