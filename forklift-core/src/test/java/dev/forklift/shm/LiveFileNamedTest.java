package dev.forklift.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Objects opened by name: the lookup finds exactly the live file of the kind and name asked for. */
class LiveFileNamedTest {
    @TempDir
    Path base;

    @Test
    void shouldFindTheLiveFileOfTheKindAndNameAskedFor() throws Exception {
        final SharedMemoryDirectory directory = SharedMemoryDirectory.of(base);
        final Path lock = directory.createOwnedFile("lock", "orders", "lock");
        directory.createOwnedFile("lock", "orders-2", "lock");
        directory.createOwnedFile("queue", "orders", "queue");
        try {
            assertThat(directory.liveFileNamed("lock", "orders")).contains(lock);
            assertThat(directory.liveFileNamed("lock", "missing")).isEmpty();
        } finally {
            try (var files = Files.list(directory.path())) {
                files.forEach(SharedMemoryDirectory::deleteOwned);
            }
        }
    }

    @Test
    void shouldRefuseTwoLiveFilesOfOneName() throws Exception {
        final SharedMemoryDirectory directory = SharedMemoryDirectory.of(base);
        directory.createOwnedFile("map", "cache", "map");
        directory.createOwnedFile("map", "cache", "map");
        try {
            assertThatThrownBy(() -> directory.liveFileNamed("map", "cache"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'cache'");
        } finally {
            try (var files = Files.list(directory.path())) {
                files.forEach(SharedMemoryDirectory::deleteOwned);
            }
        }
    }

    @Test
    void shouldRefuseANameThatIsNotKeptExactly() {
        assertThatThrownBy(() -> SharedMemoryDirectory.requireOpenableName("a b"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name=a b");
        assertThatThrownBy(() -> SharedMemoryDirectory.requireOpenableName("x".repeat(49)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(SharedMemoryDirectory.requireOpenableName("jobs-1_a")).isEqualTo("jobs-1_a");
    }
}
