package dev.forklift.pool;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every pool worker warms the JDK's object-stream decoding on a thread of its own from the start of its
 * {@code main} (issue 12), so that it overlaps the JVM's first UNIX-domain socket instead of following it inside
 * the decoding of the worker's arguments. Read from the start-up stamps of a fresh JVM and its workers
 * ({@link FlightRecorderProbeMain} {@code pool}), which they all inherit through {@code JAVA_TOOL_OPTIONS}.
 */
@ProcessDeadline(seconds = 120)
class ChildDecodeWarmupTest {
    @Test
    void everyWorkerOfAPoolWarmsItsObjectStreamDecoding(@TempDir final Path dir) throws Exception {
        final Path trace = dir.resolve("stamps.txt");
        final ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-cp", System.getProperty("java.class.path"), FlightRecorderProbeMain.class.getName(), "pool")
            .redirectErrorStream(true);
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Dforklift.startupTrace=" + trace);
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("probe output: " + output).isZero();
        assertThat(output).contains("result 2");

        // <epoch us> <pid> <role> <what>: what each worker process stamped.
        final Map<String, List<String>> stampsByWorker = Files.readAllLines(trace).stream()
            .map(line -> line.split(" ", 4)).filter(fields -> fields.length == 4 && fields[2].equals("pool-worker"))
            .collect(Collectors.groupingBy(fields -> fields[1],
                Collectors.mapping(fields -> fields[3], Collectors.toList())));
        final List<String> workersThatRanTasks = stampsByWorker.entrySet().stream()
            .filter(entry -> entry.getValue().contains("child ready sent")).map(Map.Entry::getKey).toList();
        assertThat(workersThatRanTasks).as("workers that reported ready: " + stampsByWorker).hasSize(2);
        for (final String pid : workersThatRanTasks) {
            final List<String> stamps = stampsByWorker.get(pid);
            assertThat(stamps).as("stamps of worker " + pid).contains("child decode warmed", "child spec decoded");
            assertThat(stamps.indexOf("child decode warmed")).as("stamps of worker " + pid)
                .isLessThan(stamps.indexOf("child spec decoded"));
        }
    }
}
