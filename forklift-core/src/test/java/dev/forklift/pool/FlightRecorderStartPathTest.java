package dev.forklift.pool;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flight-recorder events stay off a pool's start path (issue 12): with no recording on, neither the parent nor
 * its workers initialise the recorder (its metadata and generated code cost each JVM hundreds of ms of CPU); a
 * recording started later still gets the events. Each case runs in a fresh JVM ({@link FlightRecorderProbeMain}),
 * whose class loading is logged, per process, through {@code JAVA_TOOL_OPTIONS}, which its workers inherit.
 */
@ProcessDeadline(seconds = 120)
class FlightRecorderStartPathTest {
    /** Loaded when the recorder's metadata is initialised (by an event object or a periodic registration). */
    private static final String RECORDER_METADATA = "jdk.jfr.internal.MetadataRepository";

    @Test
    void aPoolStartsWithoutInitialisingTheFlightRecorderInAnyProcess(@TempDir final Path dir) throws Exception {
        final List<String> output = runProbe(dir, "pool");
        assertThat(output).contains("result 2", "workers 2");
        final List<Path> logs;
        try (Stream<Path> files = Files.list(dir)) {
            logs = files.filter(p -> p.getFileName().toString().startsWith("classes-")).toList();
        }
        assertThat(logs).as("one class-load log per JVM: the parent and its 2 workers").hasSizeGreaterThanOrEqualTo(3);
        for (final Path log : logs) {
            assertThat(Files.readString(log)).as("classes loaded by " + log.getFileName())
                .contains("dev.forklift.")
                .doesNotContain(RECORDER_METADATA);
        }
    }

    @Test
    void aRecordingStartedAfterAQueueWasCreatedStillGetsItsStatistics(@TempDir final Path dir) throws Exception {
        final List<String> output = runProbe(dir, "late", dir.toString());
        assertThat(output).contains("initialised before the recording false");
        assertThat(output).anySatisfy(line -> assertThat(line).startsWith("statistics events ")
            .doesNotStartWith("statistics events 0"));
        assertThat(output).anySatisfy(line -> assertThat(line).endsWith(" size 1"));
    }

    private static List<String> runProbe(final Path dir, final String... args) throws IOException,
        InterruptedException {
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-cp", System.getProperty("java.class.path"), FlightRecorderProbeMain.class.getName()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + dir.resolve("classes-%p.txt"));
        final Process process = builder.start();
        final byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        final List<String> lines = new String(out, StandardCharsets.UTF_8).lines().toList();
        assertThat(process.exitValue()).as("probe output: " + lines).isZero();
        return lines;
    }
}
