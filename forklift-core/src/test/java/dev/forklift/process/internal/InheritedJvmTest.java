package dev.forklift.process.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts of {@link InheritedJvm} that need no launcher: the exit status decoded as {@link Process#exitValue()}
 * gives it, and specs that name no child of this process refused. The whole of it, with the launcher script and
 * real JVMs: {@code LauncherEarlyWorkerTest} in the command line's module.
 */
class InheritedJvmTest {
    @Test
    void aWaitStatusDecodesAsTheJdkReportsAnExit() {
        assertThat(InheritedJvm.waitStatusToExitCode(0)).isZero();
        assertThat(InheritedJvm.waitStatusToExitCode(7 << 8)).isEqualTo(7);
        assertThat(InheritedJvm.waitStatusToExitCode(255 << 8)).isEqualTo(255);
        assertThat(InheritedJvm.waitStatusToExitCode(9)).as("SIGKILL").isEqualTo(137);
        assertThat(InheritedJvm.waitStatusToExitCode(15)).as("SIGTERM").isEqualTo(143);
        assertThat(InheritedJvm.waitStatusToExitCode(0x80 | 11)).as("SIGSEGV with a core dump").isEqualTo(139);
    }

    @Test
    void specsThatNameNoChildOfThisProcessAreRefused() {
        assertThat(InheritedJvm.fromSpec(null)).isEmpty();
        assertThat(InheritedJvm.fromSpec("")).isEmpty();
        assertThat(InheritedJvm.fromSpec("12:7")).isEmpty();
        assertThat(InheritedJvm.fromSpec("x:7:8")).isEmpty();
        assertThat(InheritedJvm.fromSpec(ProcessHandle.current().pid() + ":0:1")).as("itself").isEmpty();
        final long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
        assertThat(InheritedJvm.fromSpec(parent + ":0:1")).as("its parent").isEmpty();
        assertThat(InheritedJvm.fromSpec("1:0:1")).as("init").isEmpty();
    }

    @Test
    void theExitCodeOfAProcessThatIsNotThereIsUnknown() {
        assertThat(InheritedJvm.exitCode(Long.MAX_VALUE)).isEqualTo(-1);
    }
}
