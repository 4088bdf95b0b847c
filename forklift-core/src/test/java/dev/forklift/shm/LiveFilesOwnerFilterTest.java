package dev.forklift.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live files of some owners only (what a job's own dashboard reads): files of other owners are left out, and
 * the current process's files are judged by pid and start time as any other's.
 */
class LiveFilesOwnerFilterTest {
    @TempDir
    Path base;

    @Test
    void shouldListOnlyTheLiveFilesOfTheOwnersAsked() throws Exception {
        final SharedMemoryDirectory directory = SharedMemoryDirectory.of(base);
        final long self = ProcessHandle.current().pid();
        final long parent = ProcessHandle.current().parent().orElseThrow().pid();
        final Path own = directory.createOwnedFile("queue", "mine", "queue");
        final Path parents = Files.createFile(directory.path().resolve(
            new OwnedFileName("queue", PidNamespace.current(), parent, 0, 1, "theirs", "queue").format()));
        // This pid, but a start time of another process: a file of an earlier process that had this pid.
        final Path earlier = Files.createFile(directory.path().resolve(
            new OwnedFileName("queue", PidNamespace.current(), self, 1_000, 2, "earlier", "queue").format()));
        try {
            assertThat(directory.liveFiles("queue")).containsExactlyInAnyOrder(own, parents);
            assertThat(directory.liveFiles("queue", owner -> owner == self)).containsExactly(own);
            assertThat(directory.liveFiles("queue", owner -> owner == parent)).containsExactly(parents);
            assertThat(directory.liveFiles("queue", owner -> false)).isEmpty();
            assertThat(earlier).exists();
        } finally {
            try (var files = Files.list(directory.path())) {
                files.forEach(SharedMemoryDirectory::deleteOwned);
            }
        }
    }
}
