package dev.forklift.bench.wordcount;

import dev.forklift.jobs.wordcount.SampleCorpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmark corpora: 4 generated files of about 50 MB or 250 MB each ({@link SampleCorpus}, seed 42, so the
 * same bytes on every machine), written on first use into {@code $FORKLIFT_BENCH_CACHE}, else into
 * {@code java.io.tmpdir/forklift-bench} (normally under {@code /tmp}); a marker file says a set is complete. Sets
 * written under {@code java.io.tmpdir} are deleted when the benchmark JVM exits; those in
 * {@code $FORKLIFT_BENCH_CACHE} are kept for the next run.
 */
public final class WordCountCorpus {
    /** Files in a corpus. */
    public static final int FILES = 4;
    /** Bytes per file of the small corpus, about. */
    public static final long BYTES_PER_FILE = 50_000_000L;
    /** Bytes per file of the large corpus, about. */
    public static final long LARGE_BYTES_PER_FILE = 250_000_000L;

    private static final List<Path> TO_DELETE = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(WordCountCorpus::deleteGenerated, "corpus-cleanup"));
    }

    private WordCountCorpus() {
    }

    /**
     * @return the 4 x 50 MB corpus, generated first when missing.
     * @throws IOException if it cannot be written.
     */
    public static List<Path> files() throws IOException {
        return files(BYTES_PER_FILE);
    }

    /**
     * @param bytesPerFile about how many bytes per file.
     * @return the corpus of {@link #FILES} files of that size, generated first when missing.
     * @throws IOException if it cannot be written.
     */
    public static synchronized List<Path> files(final long bytesPerFile) throws IOException {
        final String cache = System.getenv("FORKLIFT_BENCH_CACHE");
        final Path base = cache != null ? Path.of(cache) : Path.of(System.getProperty("java.io.tmpdir"), "forklift-bench");
        final long megabytes = bytesPerFile / 1_000_000L;
        final Path dir = base.resolve("wordcount-4x" + megabytes + "MB-seed42");
        final Path marker = dir.resolve("COMPLETE");
        if (cache == null && !TO_DELETE.contains(dir)) {
            TO_DELETE.add(dir);
        }
        if (!Files.exists(marker)) {
            SampleCorpus.write(dir, FILES, bytesPerFile, 42);
            Files.writeString(marker, FILES + " files of about " + megabytes + " MB, seed 42\n");
        }
        final List<Path> files = new ArrayList<>();
        for (int f = 0; f < FILES; f++) {
            files.add(dir.resolve(SampleCorpus.fileName(f)));
        }
        return files;
    }

    /** @return the total size of the corpus in bytes. */
    public static long totalBytes(final List<Path> files) {
        return files.stream().mapToLong(f -> f.toFile().length()).sum();
    }

    private static synchronized void deleteGenerated() {
        for (final Path dir : TO_DELETE) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.deleteIfExists(path);
                    } catch (final IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
            } catch (final IOException | UncheckedIOException ex) {
                System.err.println("could not delete the benchmark corpus " + dir + ": " + ex);
            }
        }
    }
}
