package dev.forklift.bench.pool;

import dev.forklift.pool.Pool;
import dev.forklift.pool.PoolBuilder;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * P-warm with its CPU time: builds a pool of 2 warm workers {@code N} times in this JVM (the host warmed before each,
 * untimed, then {@code -Dprobe.restMs} of rest, default 200 ms; P-warm itself builds at once) and prints, per pool, the wall time from {@code build()} to the first result and
 * the CPU time spent meanwhile by every thread of this JVM and of the warm worker JVMs of this class path (the sum
 * of {@code /proc/<pid>/task/<tid>/schedstat}, in ms). With {@code --threads}, the CPU per thread name too. Linux
 * only; the first pool of a JVM starts the host and is not comparable. The figures of benchmarks.md, "P-warm: a
 * warm pool's start rehearsed", came from it.
 *
 * <p>Usage: {@code java -cp forklift-bench.jar dev.forklift.bench.pool.PoolWarmStartProbe N [--threads]}.
 */
public final class PoolWarmStartProbe {
    /** Rest between the host's warm-up and the pool's build, ms ({@code -Dprobe.restMs}, default 200; 0 as P-warm). */
    private static final long REST_MS = Long.getLong("probe.restMs", 200);

    private PoolWarmStartProbe() {
    }

    /** @param args the number of pools, then optionally {@code --threads}. */
    public static void main(final String[] args) throws Exception {
        final int pools = Integer.parseInt(args[0]);
        final boolean threads = args.length > 1 && args[1].equals("--threads");
        final String classpath = System.getProperty("java.class.path");
        for (int i = 0; i < pools; i++) {
            final PoolBuilder builder = Pool.builder().workers(2).name("bench-warm").warmWorkers(true);
            if (!builder.warmUp(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the warm host did not get 2 spare workers within 60 s");
            }
            Thread.sleep(REST_MS);
            // The spares there now: the two leased and the others; a replacement started later is not counted.
            final Map<Long, Path> spares = warmWorkers(classpath);
            final Map<String, Long> workersBefore = cpuByThread(spares);
            final Map<String, Long> selfBefore = cpuByThread(Map.of(0L, Path.of("/proc/self")));
            final long start = System.nanoTime();
            final double wallMs;
            final long selfNs;
            final Map<String, Long> workersAfter;
            try (Pool pool = builder.build()) {
                if (pool.submit(PoolFunctions.INC, 1).join() != 2) {
                    throw new IllegalStateException("wrong result");
                }
                wallMs = (System.nanoTime() - start) / 1e6;
                final Map<String, Long> selfAfter = cpuByThread(Map.of(0L, Path.of("/proc/self")));
                workersAfter = cpuByThread(spares);
                selfNs = total(selfAfter) - total(selfBefore);
                if (threads) {
                    System.out.println("  parent:" + byName(selfBefore, selfAfter));
                    System.out.println("  workers:" + byName(workersBefore, workersAfter));
                }
            }
            System.out.printf("run %d wall %.1f parentcpu %.1f workerscpu %.1f%n", i, wallMs, selfNs / 1e6,
                (total(workersAfter) - total(workersBefore)) / 1e6);
        }
    }

    /** @return the warm worker JVMs (by pid) whose command line holds this class path. */
    private static Map<Long, Path> warmWorkers(final String classpath) throws IOException {
        final Map<Long, Path> found = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (final Path process : processes) {
                try {
                    final String command = new String(Files.readAllBytes(process.resolve("cmdline")));
                    if (command.contains("WarmWorkerMain") && command.contains(classpath)) {
                        found.put(Long.parseLong(process.getFileName().toString()), process);
                    }
                } catch (final IOException | RuntimeException gone) {
                    // The process ended meanwhile.
                }
            }
        }
        return found;
    }

    /** @return CPU ns per "pid/thread-id name" of the processes. */
    private static Map<String, Long> cpuByThread(final Map<Long, Path> processes) {
        final Map<String, Long> cpu = new TreeMap<>();
        for (final Path process : processes.values()) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(process.resolve("task"))) {
                for (final Path task : tasks) {
                    try {
                        final long ns = Long.parseLong(Files.readString(task.resolve("schedstat")).trim()
                            .split(" ")[0]);
                        cpu.put(process.getFileName() + "/" + task.getFileName() + " "
                            + Files.readString(task.resolve("comm")).trim(), ns);
                    } catch (final IOException | RuntimeException gone) {
                        // The thread ended meanwhile.
                    }
                }
            } catch (final IOException gone) {
                // The process ended meanwhile.
            }
        }
        return cpu;
    }

    private static long total(final Map<String, Long> cpu) {
        return cpu.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return the CPU ms spent between two readings, summed per thread name, names with at least 0.3 ms. */
    private static String byName(final Map<String, Long> before, final Map<String, Long> after) {
        final Map<String, Long> byName = new TreeMap<>();
        after.forEach((thread, ns) -> byName.merge(thread.substring(thread.indexOf(' ') + 1),
            ns - before.getOrDefault(thread, 0L), Long::sum));
        final StringBuilder text = new StringBuilder();
        byName.forEach((name, ns) -> {
            if (ns >= 300_000) {
                text.append(String.format(" %s=%.1f", name, ns / 1e6));
            }
        });
        return text.toString();
    }
}
