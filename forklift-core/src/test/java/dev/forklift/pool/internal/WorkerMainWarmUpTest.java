package dev.forklift.pool.internal;

import dev.forklift.shm.SharedMemoryDirectory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A warm worker's rehearsal of a pool worker's start ({@link WorkerMain#warmUp()}), played in the test JVM. */
class WorkerMainWarmUpTest {
    @Test
    void theRehearsalRunsATaskThroughTheWorkerLoopAndLeavesNoQueueOrMarkerBehind() throws Exception {
        WorkerMain.warmUp();
        final SharedMemoryDirectory directory = SharedMemoryDirectory.current();
        final long pid = ProcessHandle.current().pid();
        assertThat(directory.liveFiles("queue")).noneMatch(file -> file.getFileName().toString().contains("warm-rehearsal")
            && SharedMemoryDirectory.ownerPid(file).orElse(0L) == pid);
        assertThat(directory.liveFiles("workerexit")).noneMatch(file -> SharedMemoryDirectory.ownerPid(file)
            .orElse(0L) == pid);
    }
}
