package dev.forklift.process;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ProcessDeadline(seconds = 60)
class ChildProcessRunTest {
    private static final Duration JOIN = Duration.ofSeconds(30);

    @Test
    void classAndLambdaTasksRunWithArgumentsOptionsPropertiesAndEnvironment() throws Exception {
        final String captured = "captured-" + System.nanoTime();
        final ProcessTask lambda = context -> {
            if (!context.arg(0, String.class).equals(captured + "!") || !context.role().equals("child")) {
                throw new IllegalStateException("lambda saw " + context.args() + " role " + context.role());
            }
        };
        final List<ChildProcess> children = ChildProcessBuilder.startAll(
            ChildProcess.builder(TestTasks.CheckEverythingTask.class).name("check-1").role("checker")
                .args("hello", 42).jvmOptions(TestTasks.FAST_JVM).jvmOptions("-Xmx77m")
                .systemProperty("forklift.test.prop", "value with spaces").environment("FORKLIFT_TEST_ENV", "env-value"),
            ChildProcess.builder(lambda).args(captured + "!").jvmOptions(TestTasks.FAST_JVM));
        try {
            for (final ChildProcess child : children) {
                final ExitStatus status = child.joinAndCheck(JOIN);
                assertThat(status.isSuccess()).isTrue();
                assertThat(status.outcomeReported()).isTrue();
                assertThat(child.exitCode()).isZero();
                assertThat(child.signal()).isEmpty();
                assertThat(child.failure()).isEmpty();
                assertThat(child.isAlive()).isFalse();
                assertThat(child.state()).isEqualTo("exited");
                assertThat(child.onExit()).isCompletedWithValue(status);
            }
            assertThat(children.get(1).name()).startsWith("child-");
        } finally {
            children.forEach(ChildProcess::close);
        }
    }

    @Test
    void taskExceptionReachesTheParentWithTheChildStackTrace() throws Exception {
        try (ChildProcess child = ChildProcess.builder(TestTasks.FailingTask.class).name("failer")
            .args("boom-message").jvmOptions(TestTasks.FAST_JVM).start()) {
            assertThatThrownBy(() -> child.joinAndCheck(JOIN))
                .isInstanceOf(ChildFailedException.class)
                .hasMessageContaining("failer").hasMessageContaining(String.valueOf(child.pid()))
                .hasMessageContaining(TestTasks.TaskFailure.class.getName()).hasMessageContaining("boom-message")
                .satisfies(thrown -> {
                    final ChildFailedException failed = (ChildFailedException) thrown;
                    assertThat(failed.childName()).isEqualTo("failer");
                    assertThat(failed.pid()).isEqualTo(child.pid());
                    assertThat(failed.exitStatus().exitCode()).isEqualTo(1);
                    final RemoteTaskException remote = (RemoteTaskException) failed.getCause();
                    assertThat(remote.getMessage()).contains("failer").contains(String.valueOf(child.pid()))
                        .contains("boom-message");
                    assertThat(remote.remoteClassName()).isEqualTo(TestTasks.TaskFailure.class.getName());
                    assertThat(Arrays.stream(remote.getStackTrace()).map(StackTraceElement::getMethodName))
                        .contains("failDeepInside");
                    assertThat(remote.getCause()).isInstanceOf(TestTasks.TaskFailure.class)
                        .hasMessage("boom-message").hasCauseInstanceOf(IOException.class);
                    assertThat(remote.getCause().getCause()).hasMessage("root cause");
                });
            assertThat(child.exitCode()).isEqualTo(1);
            assertThat(child.failure()).isPresent();
            assertThat(child.signal()).isEmpty();
            assertThat(child.state()).isEqualTo("failed");
        }
    }

    @Test
    void anExceptionThatCannotBeSerializedStillReportsClassMessageAndStackTrace() throws Exception {
        try (ChildProcess child = ChildProcess.builder(TestTasks.UnsendableFailureTask.class).name("unsendable")
            .jvmOptions(TestTasks.FAST_JVM).start()) {
            assertThatThrownBy(() -> child.joinAndCheck(JOIN)).isInstanceOf(ChildFailedException.class)
                .hasMessageContaining("unsendable").hasMessageContaining("cannot travel");
            final RemoteTaskException remote = child.failure().orElseThrow();
            assertThat(remote.remoteClassName()).isEqualTo(TestTasks.UnsendableFailure.class.getName());
            assertThat(remote.remoteMessage()).isEqualTo("cannot travel");
            assertThat(remote.getCause()).isNull();
            assertThat(Arrays.stream(remote.getStackTrace()).map(StackTraceElement::getMethodName))
                .contains("throwUnsendable");
            assertThat(child.exitCode()).isEqualTo(1);
        }
    }

    @Test
    void systemExitInsideTheTaskIsNotASuccess() throws Exception {
        final List<ChildProcess> children = ChildProcessBuilder.startAll(
            ChildProcess.builder(TestTasks.ExitTask.class).name("exit-3").args(3).jvmOptions(TestTasks.FAST_JVM),
            ChildProcess.builder(TestTasks.ExitTask.class).name("exit-0").args(0).jvmOptions(TestTasks.FAST_JVM));
        final ChildProcess three = children.get(0);
        final ChildProcess zero = children.get(1);
        assertThatThrownBy(() -> three.joinAndCheck(JOIN)).isInstanceOf(ChildFailedException.class)
            .hasMessageContaining("exit-3").hasMessageContaining("exited with code 3");
        assertThat(three.exitCode()).isEqualTo(3);
        assertThat(three.signal()).isEmpty();
        assertThat(three.failure()).isEmpty();
        assertThat(three.exitStatus().orElseThrow().isSuccess()).isFalse();
        assertThat(three.exitStatus().orElseThrow().outcomeReported()).isFalse();

        assertThatThrownBy(() -> zero.joinAndCheck(JOIN)).isInstanceOf(ChildFailedException.class)
            .hasMessageContaining("without reporting an outcome");
        assertThat(zero.exitCode()).isZero();
        assertThat(zero.exitStatus().orElseThrow().isSuccess()).isFalse();
    }

    @Test
    void outputLinesArriveWholeAndPrefixed() throws Exception {
        final ConcurrentLinkedQueue<String> out = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> err = new ConcurrentLinkedQueue<>();
        final int lines = 300;
        try (ChildProcess child = ChildProcess.builder(TestTasks.ChattyTask.class).name("chatty").args(lines)
            .jvmOptions(TestTasks.FAST_JVM)
            .output((stream, line) -> (stream == ChildOutput.Stream.STDOUT ? out : err).add(line)).start()) {
            child.joinAndCheck(JOIN);
            final String prefix = "[chatty " + child.pid() + "] ";
            final List<String> outLines = List.copyOf(out);
            final List<String> errLines = List.copyOf(err);
            assertThat(outLines).hasSize(lines);
            assertThat(errLines).hasSize(lines);
            for (int i = 0; i < lines; i++) {
                assertThat(outLines.get(i)).isEqualTo(prefix + "out-" + i + "-" + "x".repeat(i % 7 == 0 ? 5_000 : 10)
                    + "-end");
                assertThat(errLines.get(i)).isEqualTo(prefix + "err-" + i + "-end");
            }
        }
    }

    @Test
    void byDefaultLinesGoToTheParentStreamsWithoutInterleaving() throws Exception {
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final PrintStream originalOut = System.out;
        final PrintStream originalErr = System.err;
        final int lines = 200;
        final List<ChildProcess> children;
        System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        try {
            children = ChildProcessBuilder.startAll(
                ChildProcess.builder(TestTasks.ChattyTask.class).name("a").args(lines).jvmOptions(TestTasks.FAST_JVM),
                ChildProcess.builder(TestTasks.ChattyTask.class).name("b").args(lines).jvmOptions(TestTasks.FAST_JVM));
            for (final ChildProcess child : children) {
                child.joinAndCheck(JOIN);
            }
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        final List<String> outLines = outBytes.toString(StandardCharsets.UTF_8).lines().toList();
        final List<String> errLines = errBytes.toString(StandardCharsets.UTF_8).lines().toList();
        for (final ChildProcess child : children) {
            final String prefix = "[" + child.name() + " " + child.pid() + "] ";
            final List<String> mineOut = outLines.stream().filter(line -> line.startsWith(prefix)).toList();
            final List<String> mineErr = errLines.stream().filter(line -> line.startsWith(prefix)).toList();
            assertThat(mineOut).hasSize(lines);
            assertThat(mineErr).hasSize(lines);
            for (int i = 0; i < lines; i++) {
                assertThat(mineOut.get(i)).isEqualTo(prefix + "out-" + i + "-" + "x".repeat(i % 7 == 0 ? 5_000 : 10)
                    + "-end");
                assertThat(mineErr.get(i)).isEqualTo(prefix + "err-" + i + "-end");
            }
        }
        assertThat(outLines).hasSize(2 * lines);
        assertThat(errLines).hasSize(2 * lines);
    }
}
