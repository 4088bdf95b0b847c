package dev.forklift.shm;

import dev.forklift.ForkliftException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A shared-memory file system too small for a file gives a clear error when the file is made, naming the
 * directory, the size asked for and the space there, instead of a fault at the first write. The small file system is
 * a 1 MiB tmpfs mounted for the test; the test is skipped (with the reason) where mounting is not allowed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmallSharedMemoryTest {
    private static final long TMPFS_BYTES = 1 << 20;
    private static Path mountPoint;

    @BeforeAll
    static void mountSmallTmpfs() throws Exception {
        mountPoint = Files.createTempDirectory("forklift-small-shm");
        final int exit = run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_BYTES, "tmpfs", mountPoint.toString());
        Assumptions.assumeTrue(exit == 0, "cannot mount a small tmpfs here (needs root): mount exit " + exit);
    }

    @AfterAll
    static void unmount() throws Exception {
        if (mountPoint != null) {
            run("umount", "--lazy", mountPoint.toString()); // the mapping of a closed file lives until collected
            Files.deleteIfExists(mountPoint);
        }
    }

    @Test
    void shouldRefuseAFileLargerThanTheFileSystemWithAClearError() {
        final SharedMemoryDirectory directory = SharedMemoryDirectory.of(mountPoint);
        assertThatThrownBy(() -> MappedFile.create(directory, "queue", "too-big", 4 * TMPFS_BYTES))
            .isInstanceOf(ForkliftException.class)
            .hasMessageContaining("not enough space in " + directory.path())
            .hasMessageContaining(String.valueOf(4 * TMPFS_BYTES))
            .hasMessageContaining("usableBytes=");
        assertThat(directory.liveFiles("queue")).isEmpty();
    }

    @Test
    void shouldMakeAFileThatFitsAndWriteAllOfIt() {
        final SharedMemoryDirectory directory = SharedMemoryDirectory.of(mountPoint);
        try (MappedFile file = MappedFile.create(directory, "queue", "fits", TMPFS_BYTES / 2)) {
            final AtomicMemory memory = file.buffer();
            for (long offset = 0; offset < file.lengthBytes(); offset += 4096) {
                memory.putLongVolatile((int) offset, offset);
            }
            assertThat(memory.getLongVolatile(4096)).isEqualTo(4096);
        }
    }

    private static int run(final String... command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
