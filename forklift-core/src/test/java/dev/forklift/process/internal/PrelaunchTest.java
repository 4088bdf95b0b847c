package dev.forklift.process.internal;

import dev.forklift.pool.Pool;
import dev.forklift.pool.SerializableFunction;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JVMs launched before their children exist ({@link Prelaunch}): a launch of the same role, class path and options
 * takes one (the child runs in it, with its own output and exit code), a launch that differs does not, and the
 * JVMs no launch took are gone once the prelaunch is closed.
 */
@ProcessDeadline(seconds = 120)
class PrelaunchTest {
    private static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-Xss512k", "-XX:TieredStopAtLevel=1");
    private static final Duration JOIN = Duration.ofSeconds(60);

    /** Prints its pid and its name as the child sees it, then exits 3. */
    public static final class WhoAmITask implements ProcessTask {
        @Override
        public void run(final TaskContext context) {
            System.out.println("pid " + ProcessHandle.current().pid() + " name " + System.getProperty("forklift.name"));
            System.exit(3);
        }
    }

    @Test
    void aLaunchOfTheSameRoleAndOptionsRunsInThePrelaunchedJvm() throws Exception {
        final String classpath = System.getProperty("java.class.path");
        final java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Prelaunch prelaunch = Prelaunch.start(1, "prelaunch-test", classpath, OPTIONS,
            WhoAmITask.class.getName())) {
            assertThat(prelaunch.processes()).hasSize(1);
            final Process prelaunched = prelaunch.processes().get(0);
            try (ChildProcess child = ChildProcess.builder(WhoAmITask.class).role("prelaunch-test").name("who-1")
                .classpath(classpath).jvmOptions(OPTIONS.toArray(new String[0]))
                .output(dev.forklift.process.ChildOutput.to(lines::add)).start()) {
                assertThat(child.pid()).isEqualTo(prelaunched.pid());
                assertThat(child.join(JOIN)).isTrue();
                assertThat(child.exitStatus().orElseThrow().exitCode()).isEqualTo(3);
            }
        }
        assertThat(lines).anyMatch(line -> line.contains("name who-1"));
    }

    @Test
    void aLaunchThatDiffersIsLaunchedAndUntakenJvmsEndWithTheClose() throws Exception {
        final String classpath = System.getProperty("java.class.path");
        final Process prelaunched;
        try (Prelaunch prelaunch = Prelaunch.start(1, "prelaunch-test-2", classpath, OPTIONS,
            WhoAmITask.class.getName())) {
            prelaunched = prelaunch.processes().get(0);
            try (ChildProcess child = ChildProcess.builder(WhoAmITask.class).role("prelaunch-test-2")
                .classpath(classpath).jvmOptions(OPTIONS.toArray(new String[0])).environment("SOME_VARIABLE", "x")
                .start()) {
                assertThat(child.pid()).isNotEqualTo(prelaunched.pid());
                child.join(JOIN);
            }
            assertThat(prelaunched.isAlive()).isTrue();
        }
        assertThat(prelaunched.waitFor(JOIN.toMillis(), TimeUnit.MILLISECONDS)).as("closed: the JVM ends").isTrue();
    }

    @Test
    void aSecondPrelaunchOfTheSameChildrenLaunchesOnlyWhatTheFirstDidNotOffer() throws Exception {
        final String classpath = System.getProperty("java.class.path");
        try (Prelaunch early = Prelaunch.start(2, "prelaunch-test-3", classpath, OPTIONS, WhoAmITask.class.getName());
             Prelaunch later = Prelaunch.start(3, "prelaunch-test-3", classpath, OPTIONS, WhoAmITask.class.getName());
             Prelaunch other = Prelaunch.start(1, "prelaunch-test-4", classpath, OPTIONS,
                 WhoAmITask.class.getName())) {
            assertThat(early.processes()).hasSize(2);
            assertThat(later.processes()).as("two of the three are offered already").hasSize(1);
            assertThat(other.processes()).as("another role counts none of them").hasSize(1);
        }
    }

    @Test
    void aPoolsWorkersRunInJvmsStartedBeforeItsQueues() throws Exception {
        try (Pool pool = Pool.builder().workers(2).name("prelaunch-pool").jvmOptions(OPTIONS.toArray(new String[0]))
            .build()) {
            final SerializableFunction<Integer, Integer> plusOne = x -> x + 1;
            assertThat(pool.submit(plusOne, 1).join()).isEqualTo(2);
            assertThat(pool.map(plusOne, List.of(1, 2, 3, 4))).containsExactly(2, 3, 4, 5);
        }
    }
}
