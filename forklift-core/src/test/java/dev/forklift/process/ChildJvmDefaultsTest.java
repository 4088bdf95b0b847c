package dev.forklift.process;

import dev.forklift.pool.Pool;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Child JVMs start with Forklift's heap and collector defaults ({@code ChildJvmDefaults}) unless their own options
 * choose otherwise: checked from inside real children and a real pool worker.
 */
@ProcessDeadline(seconds = 120)
class ChildJvmDefaultsTest {
    private static final Duration JOIN = Duration.ofSeconds(60);

    /**
     * Fails unless this JVM's input arguments contain {@code arg 0} (a '|'-separated list, may be empty) and none
     * of {@code arg 1} (same form), and its collectors are named {@code arg 2} (comma-separated, in order).
     */
    public static final class CheckOptionsTask implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) {
            final List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
            for (final String wanted : context.arg(0, String.class).split("\\|")) {
                if (!wanted.isEmpty() && !arguments.contains(wanted)) {
                    throw new IllegalStateException("missing " + wanted + " in " + arguments);
                }
            }
            for (final String unwanted : context.arg(1, String.class).split("\\|")) {
                if (!unwanted.isEmpty() && arguments.contains(unwanted)) {
                    throw new IllegalStateException("unexpected " + unwanted + " in " + arguments);
                }
            }
            if (!collectors().equals(context.arg(2, String.class))) {
                throw new IllegalStateException("collectors " + collectors() + ", arguments " + arguments);
            }
        }
    }

    static String collectors() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
            .collect(Collectors.joining(","));
    }

    private static void runChecked(final ChildProcessBuilder builder) throws Exception {
        try (ChildProcess child = builder.start()) {
            assertThat(child.joinAndCheck(JOIN).isSuccess()).isTrue();
        }
    }

    @Test
    void aChildWithNoOptionsGetsTheSerialCollectorAndASmallFixedYoungGeneration() throws Exception {
        runChecked(ChildProcess.builder(CheckOptionsTask.class)
            .args("-XX:+UseSerialGC|-Xmn16m", "", "Copy,MarkSweepCompact"));
    }

    @Test
    void aChildThatSizesItsHeapKeepsItsSizesAndGetsOnlyTheCollector() throws Exception {
        runChecked(ChildProcess.builder(CheckOptionsTask.class).jvmOptions("-Xmx96m")
            .args("-XX:+UseSerialGC|-Xmx96m", "-Xmn16m", "Copy,MarkSweepCompact"));
    }

    @Test
    void aChildThatChoosesItsCollectorGetsNoDefaults() throws Exception {
        runChecked(ChildProcess.builder(CheckOptionsTask.class).jvmOptions("-XX:+UseParallelGC")
            .args("-XX:+UseParallelGC", "-XX:+UseSerialGC|-Xmn16m", "PS MarkSweep,PS Scavenge"));
    }

    @Test
    void heapOptionsInJavaToolOptionsCountAsTheUsersChoice() throws Exception {
        runChecked(ChildProcess.builder(CheckOptionsTask.class).environment("JAVA_TOOL_OPTIONS", "-Xmx80m")
            .args("-XX:+UseSerialGC", "-Xmn16m", "Copy,MarkSweepCompact"));
    }

    @Test
    void poolWorkersGetTheDefaultsAndKeepTheirOwnOptions() throws Exception {
        try (Pool defaults = Pool.builder().workers(1).name("jvm-defaults").build();
             Pool tuned = Pool.builder().workers(1).name("jvm-tuned").jvmOptions("-XX:+UseParallelGC").build()) {
            assertThat(defaults.submit((Integer ignored) -> collectors(), 0).join()).isEqualTo("Copy,MarkSweepCompact");
            assertThat(tuned.submit((Integer ignored) -> collectors(), 0).join()).isEqualTo("PS MarkSweep,PS Scavenge");
        }
    }
}
