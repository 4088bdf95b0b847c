package dev.forklift.cluster;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM options of the processes a {@link LocalCluster} starts: with {@link LocalCluster#commandDefaults()} (the
 * benchmarks) the broker runs as {@code forklift broker} does, with the JVM's defaults; without it (the tests), with
 * C1 only and a small heap.
 */
@ProcessDeadline(seconds = 90)
class LocalClusterOptionsTest {
    @TempDir
    Path dir;

    /** The process's command line, from /proc (ProcessHandle.Info drops a command line as long as this one). */
    private static List<String> arguments(final Process process) throws Exception {
        final String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
            StandardCharsets.UTF_8);
        return Arrays.asList(raw.split("\0"));
    }

    @Test
    void withCommandDefaultsTheBrokerRunsWithTheJvmDefaultsAsForkliftBrokerDoes() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, List.of()).commandDefaults()) {
            cluster.startBroker();
            assertThat(arguments(cluster.broker())).contains(BrokerMain.class.getName())
                .noneMatch(argument -> argument.startsWith("-XX:TieredStopAtLevel") || argument.startsWith("-Xmx")
                    || argument.startsWith("-XX:+Use"));
        }
    }

    @Test
    void withoutItTheBrokerRunsWithCompilerOneOnlyAndASmallHeap() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, List.of())) {
            cluster.startBroker();
            assertThat(arguments(cluster.broker()))
                .contains("-XX:TieredStopAtLevel=1", "-Xmx256m");
        }
    }
}
