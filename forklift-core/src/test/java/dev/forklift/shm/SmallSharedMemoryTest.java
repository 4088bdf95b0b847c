package dev.forklift.shm;

import dev.forklift.ForkliftException;
import dev.forklift.testing.SmallTmpfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A shared-memory file system too small for a file gives a clear error when the file is made, naming the
 * directory, the size asked for and the space there, instead of a fault at the first write. The small file system is
 * a 1 MiB tmpfs ({@link SmallTmpfs}; skipped with the reason where it cannot be mounted).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmallSharedMemoryTest {
    private static final long TMPFS_BYTES = 1 << 20;
    private static SmallTmpfs tmpfs;

    @BeforeAll
    static void mountSmallTmpfs() throws Exception {
        tmpfs = SmallTmpfs.mount(TMPFS_BYTES);
    }

    @AfterAll
    static void unmount() throws Exception {
        if (tmpfs != null) {
            tmpfs.close();
        }
    }

    @Test
    void shouldRefuseAFileLargerThanTheFileSystemWithAClearError() {
        final SharedMemoryDirectory directory = SharedMemoryDirectory.of(tmpfs.path());
        assertThatThrownBy(() -> MappedFile.create(directory, "queue", "too-big", 4 * TMPFS_BYTES))
            .isInstanceOf(ForkliftException.class)
            .hasMessageContaining("not enough space in " + directory.path())
            .hasMessageContaining(String.valueOf(4 * TMPFS_BYTES))
            .hasMessageContaining("usableBytes=");
        assertThat(directory.liveFiles("queue")).isEmpty();
    }

    @Test
    void shouldMakeAFileThatFitsAndWriteAllOfIt() {
        final SharedMemoryDirectory directory = SharedMemoryDirectory.of(tmpfs.path());
        try (MappedFile file = MappedFile.create(directory, "queue", "fits", TMPFS_BYTES / 2)) {
            final AtomicMemory memory = file.buffer();
            for (long offset = 0; offset < file.lengthBytes(); offset += 4096) {
                memory.putLongVolatile((int) offset, offset);
            }
            assertThat(memory.getLongVolatile(4096)).isEqualTo(4096);
        }
    }
}
