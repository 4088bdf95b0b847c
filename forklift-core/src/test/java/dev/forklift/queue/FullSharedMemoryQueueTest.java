package dev.forklift.queue;

import dev.forklift.ForkliftException;
import dev.forklift.testing.SmallTmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Queues on a small shared-memory file system (a 1 MiB tmpfs, {@link SmallTmpfs}): with {@code reserveMemory} a
 * queue that fits when made but would overfill the file system together with another one fails in {@code build()}
 * with a clear error and leaves no file behind, while the first queue takes every message it was made for.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FullSharedMemoryQueueTest {
    private static final int SLOTS = 8;
    private static final int MESSAGE_BYTES = 100 * 1024;

    @Test
    void shouldRefuseAReservedQueueThatWouldOverfillTheFileSystemAndKeepTheFirstWhole() throws Exception {
        try (SmallTmpfs tmpfs = SmallTmpfs.mount(1 << 20);
             Queue<byte[]> first = builder(tmpfs.path(), "first").build()) {
            assertThatThrownBy(() -> builder(tmpfs.path(), "second").build())
                .isInstanceOf(ForkliftException.class)
                .hasMessageContaining("not enough space in " + tmpfs.path());
            try (Stream<Path> files = Files.walk(tmpfs.path())) {
                assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .singleElement().asString().contains("first");
            }
            for (int i = 0; i < SLOTS; i++) {
                first.put(message(i));
            }
            for (int i = 0; i < SLOTS; i++) {
                assertThat(first.take()).isEqualTo(message(i));
            }
        }
    }

    @Test
    void shouldRefuseAQueueLargerThanTheFreeSpaceWithOrWithoutReserving() throws Exception {
        try (SmallTmpfs tmpfs = SmallTmpfs.mount(256 * 1024)) {
            for (final boolean reserve : new boolean[] {false, true}) {
                assertThatThrownBy(() -> builder(tmpfs.path(), "huge").reserveMemory(reserve).build())
                    .isInstanceOf(ForkliftException.class)
                    .hasMessageContaining("not enough space in ");
            }
        }
    }

    private static QueueBuilder<byte[]> builder(final Path base, final String name) {
        return Queue.builder(byte[].class).name(name).capacity(SLOTS).maxMessageBytes(MESSAGE_BYTES)
            .directoryBase(base).reserveMemory(true);
    }

    private static byte[] message(final int index) {
        final byte[] bytes = new byte[MESSAGE_BYTES];
        Arrays.fill(bytes, (byte) (index + 1));
        return bytes;
    }
}
