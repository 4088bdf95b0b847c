package dev.forklift.process;

import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

@ProcessDeadline(seconds = 60)
class ProcessTableTest {
    @TempDir
    Path tmp;

    @Test
    void snapshotShowsTheChildRowWithItsProgress() throws Exception {
        final long self = ProcessHandle.current().pid();
        final Path release = tmp.resolve("release");
        try (ChildProcess child = ChildProcess.builder(TestTasks.ProgressTask.class).name("progress-1")
            .role("worker").args(release.toString()).jvmOptions(TestTasks.FAST_JVM).start()) {
            ProcessTable.self().role("tester").state("testing").addItemsDone(5);

            Await.until(Duration.ofSeconds(10), () -> row(child.pid()).map(r -> r.itemsDone() == 42
                && r.state().equals("working")).orElse(false), () -> "row of the child: " + ProcessTable.snapshot());
            final ProcessRow row = row(child.pid()).orElseThrow();
            assertThat(row.boardOwnerPid()).isEqualTo(self);
            assertThat(row.parentPid()).isEqualTo(self);
            assertThat(row.role()).isEqualTo("worker");
            assertThat(row.name()).isEqualTo("progress-1");
            assertThat(row.alive()).isTrue();
            assertThat(row.heartbeatAgeMs()).isLessThan(2_000);
            assertThat(child.itemsDone()).isEqualTo(42);
            assertThat(child.state()).isEqualTo("working");
            assertThat(child.workStamp().unit()).isEqualTo(-7);

            final ProcessRow me = ProcessTable.snapshot().stream()
                .filter(r -> r.pid() == self && r.boardOwnerPid() == self).findFirst().orElseThrow();
            assertThat(me.role()).isEqualTo("tester");
            assertThat(me.state()).isEqualTo("testing");
            assertThat(me.itemsDone()).isGreaterThanOrEqualTo(5);

            Files.writeString(release, "go");
            child.joinAndCheck(Duration.ofSeconds(30));
            assertThat(child.itemsDone()).isEqualTo(42);
            assertThat(child.state()).isEqualTo("exited");
            assertThat(child.workStamp()).isEqualTo(WorkStamp.NONE);
            assertThat(row(child.pid()).orElseThrow().state()).isEqualTo("exited");
        }
    }

    private static Optional<ProcessRow> row(final long pid) {
        return ProcessTable.snapshot().stream().filter(r -> r.pid() == pid).findFirst();
    }
}
