package dev.forklift.process;

import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ProcessDeadline(seconds = 60)
class ChildProcessStopTest {
    @TempDir
    Path tmp;

    @Test
    void killMinus9OfAChildIsNoticedAtOnce() throws Exception {
        try (ChildProcess child = ChildProcess.builder(TestTasks.BlockForeverTask.class).name("victim")
            .jvmOptions(TestTasks.FAST_JVM).start()) {
            Await.until(Duration.ofSeconds(10), () -> "blocked".equals(child.state()), () -> "task running");
            assertThat(child.isAlive()).isTrue();
            assertThat(child.exitStatus()).isEmpty();
            assertThatThrownBy(child::exitCode).isInstanceOf(IllegalStateException.class);

            final long killedNanos = System.nanoTime();
            ProcessHandle.of(child.pid()).orElseThrow().destroyForcibly();
            final ExitStatus status = child.onExit().get(2, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - killedNanos)).isLessThan(Duration.ofSeconds(2));
            assertThat(status.signal()).hasValue(9);
            assertThat(child.signal()).hasValue(9);
            assertThat(child.exitCode()).isEqualTo(137);
            assertThat(child.state()).isEqualTo("killed");
            assertThatThrownBy(() -> child.joinAndCheck(Duration.ZERO)).isInstanceOf(ChildFailedException.class)
                .hasMessageContaining("SIGKILL").hasMessageContaining("victim");
        }
    }

    @Test
    void terminateRunsShutdownHooksAndKillsAHangingChildAfterTheGrace() throws Exception {
        final Path gentleMarker = tmp.resolve("gentle");
        final Path stubbornMarker = tmp.resolve("stubborn");
        final List<ChildProcess> children = ChildProcessBuilder.startAll(
            ChildProcess.builder(TestTasks.BlockForeverTask.class).name("gentle")
                .args(gentleMarker.toString(), false).jvmOptions(TestTasks.FAST_JVM),
            ChildProcess.builder(TestTasks.BlockForeverTask.class).name("stubborn")
                .args(stubbornMarker.toString(), true).jvmOptions(TestTasks.FAST_JVM));
        final ChildProcess gentle = children.get(0);
        final ChildProcess stubborn = children.get(1);
        try {
            Await.until(Duration.ofSeconds(10), () -> "blocked".equals(gentle.state())
                && "blocked".equals(stubborn.state()), () -> "tasks running");

            final long gentleStart = System.nanoTime();
            gentle.terminate(Duration.ofSeconds(10));
            assertThat(Duration.ofNanos(System.nanoTime() - gentleStart)).isLessThan(Duration.ofSeconds(5));
            assertThat(gentle.isAlive()).isFalse();
            assertThat(gentleMarker).hasContent("hook ran");
            assertThat(gentle.signal()).hasValue(15);

            final long stubbornStart = System.nanoTime();
            stubborn.terminate(Duration.ofSeconds(1));
            final Duration stubbornTime = Duration.ofNanos(System.nanoTime() - stubbornStart);
            assertThat(stubbornTime).isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(Duration.ofSeconds(5));
            assertThat(stubborn.isAlive()).isFalse();
            assertThat(stubbornMarker).hasContent("hook ran");
            assertThat(stubborn.signal()).hasValue(9);

            gentle.terminate(Duration.ofSeconds(1));
            stubborn.kill();
            stubborn.close();
        } finally {
            children.forEach(ChildProcess::kill);
        }
    }

    @Test
    void childrenExitWithinTwoSecondsWhenTheirParentIsKilled() throws Exception {
        final Path pidFile = tmp.resolve("grandchildren.pids");
        try (ChildProcess parent = ChildProcess.builder(TestTasks.GrandparentTask.class).name("grandparent")
            .role("parent").args(pidFile.toString()).jvmOptions(TestTasks.FAST_JVM).start()) {
            Await.until(Duration.ofSeconds(30), () -> Files.exists(pidFile), () -> "grandchildren started");
            final List<Long> pids = Files.readAllLines(pidFile).stream().map(Long::parseLong).toList();
            assertThat(pids).hasSize(2).allSatisfy(pid -> assertThat(isRunning(pid)).isTrue());

            ProcessHandle.of(parent.pid()).orElseThrow().destroyForcibly();
            final long killedNanos = System.nanoTime();
            try {
                Await.until(Duration.ofSeconds(2), () -> pids.stream().noneMatch(ChildProcessStopTest::isRunning),
                    () -> "grandchildren " + pids + " gone");
            } finally {
                pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            }
            System.out.println("grandchildren gone " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNanos)
                + " ms after the parent was killed");
            assertThat(parent.join(Duration.ofSeconds(5))).isTrue();
            assertThat(parent.signal()).hasValue(9);
        }
    }

    /**
     * True while the process runs. A zombie counts as gone: an orphan is reaped by init, and some container inits
     * never reap.
     */
    static boolean isRunning(final long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                final String afterName = stat.substring(stat.lastIndexOf(')') + 2);
                return afterName.charAt(0) != 'Z' && afterName.charAt(0) != 'X';
            } catch (final IOException | RuntimeException ex) {
                return false;
            }
        }
        return false;
    }
}
