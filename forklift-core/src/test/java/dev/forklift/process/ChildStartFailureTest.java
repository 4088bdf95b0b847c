package dev.forklift.process;

import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each bad input fails fast with a clear message, and leaves no child process behind. */
@ProcessDeadline(seconds = 60)
class ChildStartFailureTest {
    private Set<Long> before;
    private long startNanos;

    @BeforeEach
    void rememberChildren() {
        before = livePids();
        startNanos = System.nanoTime();
    }

    @AfterEach
    void noChildLeftBehind() {
        Await.until(Duration.ofSeconds(5), () -> livePids().equals(before),
            () -> "no child left behind; before " + before + ", now " + livePids());
    }

    private static Set<Long> livePids() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
            .collect(Collectors.toSet());
    }

    private void assertFast() {
        assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void unknownTaskClassIsNamed() {
        assertThatThrownBy(() -> ChildProcess.builder("no.such.pkg.MissingTask").start())
            .isInstanceOf(ChildStartException.class).hasMessageContaining("no.such.pkg.MissingTask");
        assertFast();
    }

    @Test
    void unknownTaskClassOnAnotherClassPathIsReportedByTheChild() {
        assertThatThrownBy(() -> ChildProcess.builder("no.such.pkg.MissingTask").name("lost")
            .classpath(System.getProperty("java.class.path")).jvmOptions(TestTasks.FAST_JVM).start())
            .isInstanceOf(ChildStartException.class).hasMessageContaining("no.such.pkg.MissingTask")
            .hasMessageContaining("lost").hasMessageContaining("not found");
        assertFast();
    }

    @Test
    void taskClassWithoutNoArgumentConstructorIsNamed() {
        assertThatThrownBy(() -> ChildProcess.builder(TestTasks.NoDefaultConstructorTask.class).start())
            .isInstanceOf(ChildStartException.class)
            .hasMessageContaining(TestTasks.NoDefaultConstructorTask.class.getName())
            .hasMessageContaining("no public no-argument constructor");
        assertThatThrownBy(() -> ChildProcess.builder(String.class.getName()).start())
            .isInstanceOf(ChildStartException.class).hasMessageContaining("java.lang.String")
            .hasMessageContaining("does not implement");
        assertFast();
    }

    @Test
    void lambdaCapturingANonSerializableValueIsRejectedBeforeLaunch() {
        final Object notSerializable = new Thread();
        final ProcessTask task = context -> System.out.println(notSerializable);
        assertThatThrownBy(() -> ChildProcess.builder(task).start())
            .isInstanceOf(TaskNotSerializableException.class).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("java.lang.Thread");
        assertFast();
    }

    @Test
    void nonSerializableArgumentIsRejectedBeforeLaunch() {
        assertThatThrownBy(() -> ChildProcess.builder(TestTasks.ExitTask.class).args(0, new Object()).start())
            .isInstanceOf(TaskNotSerializableException.class).hasMessageContaining("argument 1")
            .hasMessageContaining("java.lang.Object");
        assertFast();
    }

    @Test
    void badJvmOptionFailsFastWithTheJvmOwnMessage() {
        assertThatThrownBy(() -> ChildProcess.builder(TestTasks.ExitTask.class).name("bad-jvm")
            .jvmOptions("-XX:+NoSuchOptionAtAll").start())
            .isInstanceOf(ChildStartException.class).hasMessageContaining("bad-jvm")
            .hasMessageContaining("NoSuchOptionAtAll").hasMessageContaining("Could not create the Java Virtual Machine");
        assertFast();
    }

    @Test
    void handshakeTimeoutKillsTheChildAndNamesTheTimeout() {
        assertThatThrownBy(() -> ChildProcess.builder(TestTasks.SlowConstructorTask.class).name("slow")
            .classpath(System.getProperty("java.class.path"))
            .jvmOptions(TestTasks.FAST_JVM).startTimeout(Duration.ofSeconds(2)).start())
            .isInstanceOf(ChildStartException.class).hasMessageContaining("slow")
            .hasMessageContaining("startTimeout=PT2S");
        assertFast();
    }

    @Test
    void startAllKillsEveryChildWhenOneFails() {
        assertThatThrownBy(() -> ChildProcessBuilder.startAll(
            ChildProcess.builder(TestTasks.BlockForeverTask.class).name("fine").jvmOptions(TestTasks.FAST_JVM),
            ChildProcess.builder(TestTasks.ExitTask.class).name("broken").jvmOptions("-XX:+NoSuchOptionAtAll")))
            .isInstanceOf(ChildStartException.class).hasMessageContaining("broken");
        assertFast();
    }
}
