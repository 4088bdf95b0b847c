package dev.forklift.bench.wordcount;

import dev.forklift.jobs.wordcount.WordCountJob;
import dev.forklift.jobs.wordcount.WordCounts;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The single-threaded Java word count, run as its own JVM by the benchmark: same reading and tokenizing as the
 * pipeline, on the main thread only. Prints {@code bytes=... words=... distinct=... seconds=...} (seconds from
 * the start of {@code main}, so JVM start excluded; the driver also times the whole process).
 */
public final class SingleThreadedCount {
    private SingleThreadedCount() {
    }

    /**
     * @param args the files.
     * @throws Exception if a file cannot be read.
     */
    public static void main(final String[] args) throws Exception {
        final long startNs = System.nanoTime();
        final List<Path> files = Stream.of(args).map(Path::of).collect(Collectors.toList());
        final WordCounts counts = WordCountJob.countSingleThreaded(files);
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        long bytes = 0;
        for (final Path file : files) {
            bytes += file.toFile().length();
        }
        System.out.printf(java.util.Locale.ROOT, "bytes=%d words=%d distinct=%d seconds=%.3f%n", bytes,
            counts.total(), counts.size(), seconds);
    }
}
