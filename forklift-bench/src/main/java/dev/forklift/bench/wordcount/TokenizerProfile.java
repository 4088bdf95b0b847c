package dev.forklift.bench.wordcount;

import dev.forklift.jobs.wordcount.Tokenizer;
import dev.forklift.jobs.wordcount.WordCounts;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The word count's hot path alone, in this JVM: the benchmark corpus is read into memory once (1 MiB blocks cut
 * after a line feed), then counted {@code ROUNDS} times by one {@link Tokenizer} into a fresh {@link WordCounts};
 * prints MB/s by wall clock and by this thread's CPU time per round. No files, processes or queues: what a
 * producer can do per core at best. {@code java -cp ... dev.forklift.bench.wordcount.TokenizerProfile [ROUNDS]}.
 */
public final class TokenizerProfile {
    private TokenizerProfile() {
    }

    /**
     * @param args optional number of rounds (default 5).
     * @throws Exception if the corpus cannot be read.
     */
    public static void main(final String[] args) throws Exception {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        final List<byte[]> blocks = new ArrayList<>();
        long bytes = 0;
        for (final Path file : WordCountCorpus.files()) {
            final byte[] all = Files.readAllBytes(file);
            int at = 0;
            while (at < all.length) {
                int end = Math.min(all.length, at + (1 << 20));
                while (end < all.length && all[end - 1] != '\n') {
                    end++;
                }
                blocks.add(Arrays.copyOfRange(all, at, end));
                at = end;
            }
            bytes += all.length;
        }
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            final long wall0 = System.nanoTime();
            final long cpu0 = threads.getCurrentThreadCpuTime();
            final Tokenizer tokenizer = new Tokenizer();
            final WordCounts counts = new WordCounts();
            for (final byte[] block : blocks) {
                tokenizer.count(block, 0, block.length, counts);
            }
            final long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            final long wall = System.nanoTime() - wall0;
            System.out.printf(Locale.ROOT, "round %d: wall %.1f MB/s, cpu %.1f MB/s, words=%d distinct=%d%n", r + 1,
                bytes / 1e3 / (wall / 1e6), bytes / 1e3 / (cpu / 1e6), counts.total(), counts.size());
        }
    }
}
