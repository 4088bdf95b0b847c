package dev.forklift.pool;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker sends a result that has waited 100 ms without waiting for the rest of its frame, so the caller's
 * progress moves with the work (a frame of slow single-input tasks used to report all at its end).
 */
@ProcessDeadline(seconds = 90)
class PoolResultFlushTest {
    @Test
    void resultsOfSlowTasksArriveWhileTheirFrameIsStillRunning(@TempDir final Path dir) throws Exception {
        final String started = dir.toString();
        final int inputs = 30;
        try (Pool pool = Pool.builder().workers(1).name("flush").chunkSize(1).build()) {
            final Iterator<Integer> results = pool.imap((Integer x) -> {
                try {
                    Files.createFile(Path.of(started, "started-" + x));
                    Thread.sleep(200);
                } catch (final IOException ex) {
                    throw new UncheckedIOException(ex);
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return x;
            }, IntStream.range(0, inputs).boxed().iterator());

            long mostAhead = 0;
            int received = 0;
            while (results.hasNext()) {
                assertThat(results.next()).isEqualTo(received);
                received++;
                mostAhead = Math.max(mostAhead, countFiles(dir) - received);
            }
            assertThat(received).isEqualTo(inputs);
            // Sent only at the end of its frame, a result would come when every task of the frame (the master sends
            // one or two frames for all the inputs) had started: about 15 or 29 ahead of the results received.
            assertThat(mostAhead).as("tasks started but not yet received, at most").isLessThan(8);
        }
    }

    private static long countFiles(final Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
