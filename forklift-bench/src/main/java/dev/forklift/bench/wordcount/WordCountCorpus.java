package dev.forklift.bench.wordcount;

import dev.forklift.jobs.wordcount.SampleCorpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark corpus: 4 generated files of about 50 MB ({@link SampleCorpus}, seed 42), written once into a
 * cache directory ({@code $FORKLIFT_BENCH_CACHE}, else {@code java.io.tmpdir/forklift-bench}) and reused; a
 * marker file says the set is complete.
 */
public final class WordCountCorpus {
    /** Files in the corpus. */
    public static final int FILES = 4;
    /** Bytes per file, about. */
    public static final long BYTES_PER_FILE = 50_000_000L;

    private WordCountCorpus() {
    }

    /**
     * @return the corpus files, generated first when missing.
     * @throws IOException if they cannot be written.
     */
    public static synchronized List<Path> files() throws IOException {
        final String cache = System.getenv("FORKLIFT_BENCH_CACHE");
        final Path base = cache != null ? Path.of(cache) : Path.of(System.getProperty("java.io.tmpdir"), "forklift-bench");
        final Path dir = base.resolve("wordcount-4x50MB-seed42");
        final Path marker = dir.resolve("COMPLETE");
        if (!Files.exists(marker)) {
            SampleCorpus.write(dir, FILES, BYTES_PER_FILE, 42);
            Files.writeString(marker, "4 files of about 50 MB, seed 42\n");
        }
        final List<Path> files = new ArrayList<>();
        for (int f = 0; f < FILES; f++) {
            files.add(dir.resolve(String.format("part-%02d.txt", f)));
        }
        return files;
    }

    /** @return the total size of the corpus in bytes. */
    public static long totalBytes(final List<Path> files) {
        return files.stream().mapToLong(f -> f.toFile().length()).sum();
    }
}
