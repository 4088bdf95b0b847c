package dev.forklift.cli.demo;

import dev.forklift.cli.CommandRun;
import dev.forklift.cli.Main;
import dev.forklift.process.ProcessTable;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Ctrl-C on demo stops its children at once; the last table says what happened, not that consumers drain. */
@ProcessDeadline(seconds = 120)
class DemoInterruptTest {
    @Test
    void ctrlCStopsEveryChildBeforeTheDemoExits(@TempDir final Path dir) throws Exception {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process demo = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "demo", "--no-table", "--items-per-source", "100000000", "--consumers", "2")
            .redirectErrorStream(true).redirectOutput(dir.resolve("demo.out").toFile()).start();
        try {
            // The demo's own row says "starting" before it starts its children, "running" once it supervises them.
            Await.until(Duration.ofSeconds(60), () -> demo.children().count() == 3 && ProcessTable.snapshot().stream()
                .anyMatch(row -> row.pid() == demo.pid() && "running".equals(row.state())),
                () -> "the demo to supervise its children");
            final List<ProcessHandle> children = demo.children().collect(Collectors.toList());
            assertThat(children).hasSize(3).allMatch(ProcessHandle::isAlive);

            new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor();

            assertThat(demo.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(children).as("children alive when the demo has exited")
                .noneMatch(ProcessHandle::isAlive);
            assertThat(demo.exitValue()).isEqualTo(130);
            assertThat(Files.readString(dir.resolve("demo.out"))).doesNotContain("child failed");
        } finally {
            demo.destroyForcibly();
        }
    }

    @Test
    void theLastTableSaysEveryProcessHasExited() {
        final CommandRun run = CommandRun.of("demo", "--source-count", "2", "--items-per-source", "2000");

        assertThat(run.exitCode()).as(run.err()).isZero();
        final List<String> footers = run.out().lines().filter(line -> line.startsWith("queue demo-items:"))
            .collect(Collectors.toList());
        assertThat(footers).isNotEmpty();
        assertThat(footers.get(footers.size() - 1)).endsWith(", closed; every process has exited")
            .doesNotContain("draining");
    }
}
