package dev.forklift.cli.progress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Counts the lines of input files on a daemon thread of its own, so that a command whose inputs are lines can show
 * a total (and so a percentage and an ETA) without waiting for the count: the count runs beside the work, reading
 * the files once more (usually from the page cache). Used by the parent; a file that cannot be read, or standard
 * input, leaves the total unknown.
 */
public final class LineCounter {
    private static final int BUFFER_BYTES = 1 << 16;

    private LineCounter() {
    }

    /**
     * Starts counting and returns at once.
     *
     * @param files the input files in order; {@code -} (standard input) makes the total unknown.
     * @param total told the number of lines once every file is counted (not told when unknown).
     */
    public static void countInBackground(final List<String> files, final LongConsumer total) {
        if (files == null || files.isEmpty() || files.contains("-")) {
            return;
        }
        final Thread counter = new Thread(() -> {
            long lines = 0;
            for (final String file : files) {
                final long count = count(Path.of(file));
                if (count < 0) {
                    return;
                }
                lines += count;
            }
            total.accept(lines);
        }, "forklift-line-count");
        counter.setDaemon(true);
        counter.setPriority(Thread.MIN_PRIORITY);
        counter.start();
    }

    /**
     * @param file a file.
     * @return its lines: line feeds, plus one for a last line without one; -1 if it cannot be read.
     */
    static long count(final Path file) {
        final byte[] buffer = new byte[BUFFER_BYTES];
        long lines = 0;
        int last = '\n';
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                last = buffer[read - 1];
            }
        } catch (final IOException | RuntimeException ex) {
            return -1;
        }
        return last == '\n' ? lines : lines + 1;
    }
}
