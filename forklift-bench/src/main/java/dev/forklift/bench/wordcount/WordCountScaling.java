package dev.forklift.bench.wordcount;

import dev.forklift.jobs.wordcount.WordCountJob;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Does the word count scale with cores? Measures, on the 4 x 250 MB corpus, in this order and repeated
 * {@code ROUNDS} times: the one-core rate (the single-threaded count over the whole corpus in this JVM, after one
 * untimed warm-up file), then the steady-state rate of a {@link WordCountJob} with {@code PRODUCERS} producers
 * (default 2) and the parent merging: input bytes between 20 % and 80 % of the corpus divided by the time between
 * the progress reports that crossed those marks (start-up, JIT warm-up and the tail left out). Prints both and
 * their ratio to {@code PRODUCERS} times the one-core rate (target at least 0.85 for 2 producers on 2 cores).
 * Also prints the same in CPU terms, which other processes on a shared machine move far less: MB per CPU-second of
 * the one-core count (its thread's CPU time) and of the job's child processes between the two marks (their
 * CPU time from the OS), and how many of the machine's cores the children got in that stretch.
 * {@code java -cp forklift-bench.jar dev.forklift.bench.wordcount.WordCountScaling [ROUNDS] [PRODUCERS]}.
 */
public final class WordCountScaling {
    private WordCountScaling() {
    }

    /**
     * @param args optional rounds (default 3) and producers (default 2).
     * @throws Exception if a count fails.
     */
    public static void main(final String[] args) throws Exception {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        final int producers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        final List<Path> files = WordCountCorpus.files(WordCountCorpus.LARGE_BYTES_PER_FILE);
        final long total = WordCountCorpus.totalBytes(files);
        WordCountJob.countSingleThreaded(files.subList(0, 1));
        final List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            final long t0 = System.nanoTime();
            final long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            WordCountJob.countSingleThreaded(files);
            final double oneCoreCpuRate = total / 1e6
                / ((java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e9);
            final double oneCore = total / 1e6 / ((System.nanoTime() - t0) / 1e9);
            final Steady steady = new Steady(total);
            final WordCountJob.Result result = new WordCountJob(files).name("wc-scaling").producers(producers)
                .consumers(0).onProgress(steady).run();
            if (!result.pipeline().failures().isEmpty()) {
                throw new IllegalStateException("files skipped: " + result.pipeline().failures());
            }
            final double steadyRate = steady.megabytesPerSecond();
            final double ratio = steadyRate / (producers * oneCore);
            ratios.add(ratio);
            System.out.printf(Locale.ROOT, "round %d: one core %.1f MB/s; %d producers steady %.1f MB/s, whole job %.1f"
                + " MB/s; steady / (%d x one core) = %.2f; CPU: one core %.1f MB per CPU-s, children %.1f MB per"
                + " CPU-s (%.2f of one core's), children had %.2f cores%n", round, oneCore, producers, steadyRate,
                result.pipeline().megabytesPerSecond(), producers, ratio, oneCoreCpuRate, steady.cpuRate(),
                steady.cpuRate() / oneCoreCpuRate, steady.cores());
        }
        ratios.sort(null);
        System.out.printf(Locale.ROOT, "median ratio %.2f (target >= 0.85), load %s%n", ratios.get(ratios.size() / 2),
            java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
    }

    /** Input bytes and times at the progress reports that cross 20 % and 80 % of the corpus. */
    private static final class Steady implements dev.forklift.pipeline.ProgressListener {
        private final long total;
        private long read;
        private long fromNs;
        private long fromBytes = -1;
        private long toNs;
        private long toBytes = -1;
        private long fromCpuNs;
        private long toCpuNs;

        Steady(final long total) {
            this.total = total;
        }

        @Override
        public void onProgress(final long bytesRead, final long itemsRead, final long failures, final long sourcesDone) {
            read += bytesRead;
            if (fromBytes < 0 && read >= total / 5) {
                fromNs = System.nanoTime();
                fromBytes = read;
                fromCpuNs = childrenCpuNs();
            } else if (fromBytes >= 0 && toBytes < 0 && read >= total * 4 / 5) {
                toNs = System.nanoTime();
                toBytes = read;
                toCpuNs = childrenCpuNs();
            }
        }

        /** @return the CPU time so far of this JVM's live child processes (the job's), in nanoseconds. */
        private static long childrenCpuNs() {
            return ProcessHandle.current().children().mapToLong(child -> child.info().totalCpuDuration()
                .map(java.time.Duration::toNanos).orElse(0L)).sum();
        }

        double cpuRate() {
            return (toBytes - fromBytes) / 1e6 / ((toCpuNs - fromCpuNs) / 1e9);
        }

        double cores() {
            return (toCpuNs - fromCpuNs) / (double) (toNs - fromNs);
        }

        double megabytesPerSecond() {
            if (toBytes < 0) {
                throw new IllegalStateException("progress never crossed 80 %: " + read + " of " + total + " bytes");
            }
            return (toBytes - fromBytes) / 1e6 / ((toNs - fromNs) / 1e9);
        }
    }
}
