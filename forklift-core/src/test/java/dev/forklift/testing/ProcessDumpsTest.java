package dev.forklift.testing;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.ProcessTask;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

@ProcessDeadline(seconds = 60)
class ProcessDumpsTest {
    @Test
    void dumpsTheThreadsOfThisJvmAndOfEveryDescendant() {
        final ProcessTask sleeper = context -> Thread.sleep(Long.MAX_VALUE);
        try (ChildProcess child = ChildProcess.builder(sleeper).name("dumped")
            .jvmOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC").start()) {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ProcessDumps.printAll(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            final String dump = bytes.toString(StandardCharsets.UTF_8);
            assertThat(dump).contains("threads of the test JVM, pid " + ProcessHandle.current().pid())
                .contains(Thread.currentThread().getName())
                .contains("--- process " + child.pid())
                .contains("\"forklift-parent-watch\"")
                .contains("ProcessDumpsTest.lambda$");
            ProcessDumps.killDescendants();
            assertThat(ProcessDumps.descendants()).doesNotContain(ProcessHandle.of(child.pid()).orElse(null));
        }
    }
}
