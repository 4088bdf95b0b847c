package dev.forklift.pool;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool worker opens its first UNIX-domain socket without a class-path lookup of the NIO provider (issue 12): the
 * JDK's provider is named to it on its command line, so no {@link java.util.ServiceLoader} runs before that socket
 * (the lookup opens every jar of the class path: 25-40 ms of a worker's start with a large jar). Read from the
 * class-load log of each worker of a fresh JVM's pool ({@link FlightRecorderProbeMain} {@code pool}), which its
 * workers inherit through {@code JAVA_TOOL_OPTIONS}.
 */
@ProcessDeadline(seconds = 120)
class WorkerProviderLookupTest {
    @Test
    void aWorkerOpensItsFirstUnixSocketWithoutAServiceLookup(@TempDir final Path dir) throws Exception {
        final ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-cp", System.getProperty("java.class.path"), FlightRecorderProbeMain.class.getName(), "pool")
            .redirectErrorStream(true);
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + dir.resolve("classes-%p.txt"));
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("probe output: " + output).isZero();
        assertThat(output).contains("result 2");

        final List<Path> workerLogs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (final Path log : files.toList()) {
                final String classes = Files.readString(log);
                if (classes.contains(" dev.forklift.pool.internal.WorkerMain ")
                    && !classes.contains(" dev.forklift.process.internal.LaunchPlan ")) { // not the parent
                    workerLogs.add(log);
                }
            }
        }
        assertThat(workerLogs).as("class-load logs of the pool's workers").hasSizeGreaterThanOrEqualTo(2);
        for (final Path log : workerLogs) {
            final List<String> classes = Files.readAllLines(log).stream().map(line -> line.split(" ")).filter(
                fields -> fields.length > 1).map(fields -> fields[1]).toList();
            final int socket = classes.indexOf("sun.nio.ch.UnixDomainSockets");
            assertThat(socket).as("the worker opened a UNIX-domain socket: " + log.getFileName()).isNotNegative();
            assertThat(classes.subList(0, socket)).as("classes loaded before the first UNIX-domain socket, "
                + log.getFileName()).doesNotContain("java.util.ServiceLoader$LazyClassPathLookupIterator");
        }
    }
}
