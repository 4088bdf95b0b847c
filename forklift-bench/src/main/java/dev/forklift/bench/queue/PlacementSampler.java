package dev.forklift.bench.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which CPU the busiest thread of each of two processes last ran on, sampled while a case measures: the in-place
 * cases run about three times faster when the scheduler keeps producer and consumer on one vCPU than when they run
 * on two at once (docs/benchmarks.md, "Q1KZ and Q64KZ: the two modes"), so each run says which mode it caught.
 * Linux only: elsewhere (no {@code /proc}) it samples nothing. Used by the measuring thread of one case only.
 */
final class PlacementSampler {
    private final Path producerStat;
    private final Path consumerStat;
    private int samples;
    private int sameCpu;

    private PlacementSampler(final Path producerStat, final Path consumerStat) {
        this.producerStat = producerStat;
        this.consumerStat = consumerStat;
    }

    /**
     * @param producerPid the producer process.
     * @param consumerPid the consumer process.
     * @return a sampler of their busiest threads (chosen now, by CPU time so far), or null without {@code /proc}
     *         or when a process has ended.
     */
    static PlacementSampler of(final long producerPid, final long consumerPid) {
        final Path producer = busiestThreadStat(producerPid);
        final Path consumer = busiestThreadStat(consumerPid);
        return producer == null || consumer == null ? null : new PlacementSampler(producer, consumer);
    }

    /** Takes one sample; a thread that has ended is not counted. */
    void sample() {
        final String[] producer = fields(producerStat);
        final String[] consumer = fields(consumerStat);
        if (producer != null && consumer != null) {
            samples++;
            sameCpu += producer[PROCESSOR].equals(consumer[PROCESSOR]) ? 1 : 0;
        }
    }

    /** @return the share of samples in which both threads were last on the same CPU, 0..1; NaN without samples. */
    double sameCpuShare() {
        return samples == 0 ? Double.NaN : (double) sameCpu / samples;
    }

    /** Index of the CPU in the fields after the command name of {@code /proc/.../stat} (field 39 of the whole). */
    private static final int PROCESSOR = 36;
    private static final int UTIME = 11;
    private static final int STIME = 12;

    private static Path busiestThreadStat(final long pid) {
        final Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return null;
        }
        Path busiest = null;
        long most = -1;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (final Path thread : threads) {
                final String[] fields = fields(thread.resolve("stat"));
                if (fields != null) {
                    final long ticks = Long.parseLong(fields[UTIME]) + Long.parseLong(fields[STIME]);
                    if (ticks > most) {
                        most = ticks;
                        busiest = thread.resolve("stat");
                    }
                }
            }
        } catch (final IOException | UncheckedIOException ex) {
            return null;
        }
        return busiest;
    }

    /** @return the fields after the command name, or null if the thread has ended. */
    private static String[] fields(final Path stat) {
        try {
            final String line = Files.readString(stat);
            return line.substring(line.lastIndexOf(')') + 2).split(" ");
        } catch (final IOException ex) {
            return null;
        }
    }
}
