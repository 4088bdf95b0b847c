package dev.forklift.bench.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkerFloor}: a real child JVM launched, given {@code INC} and 1 over its socket, and timed to its result
 * (2, checked by the floor itself); the first measurement dumps the child's archive untimed, the second uses it.
 */
@EnabledOnOs(OS.LINUX)
class WorkerFloorTest {
    @Test
    @Timeout(120)
    void aFloorChildIsLaunchedAndTimedToItsResultAndLeavesNoSocketDirectoryBehind() throws Exception {
        final WorkerFloor floor = new WorkerFloor();
        final long before = floorDirectories();

        final double first = floor.measure();
        final double second = floor.measure();

        assertThat(first).isPositive();
        assertThat(second).isPositive();
        assertThat(floor.name()).isEqualTo("JVM worker floor");
        assertThat(floor.higherIsBetter()).isFalse();
        assertThat(floorDirectories()).as("each launch's socket directory is deleted").isEqualTo(before);
    }

    private static long floorDirectories() throws Exception {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(path -> path.getFileName().toString().startsWith("forklift-floor")
                && !path.getFileName().toString().startsWith("forklift-floor-archive")).count();
        }
    }
}
