package dev.forklift.cli.chaos;

import dev.forklift.cluster.LocalCluster;
import dev.forklift.pool.Outcome;
import dev.forklift.pool.Pool;
import dev.forklift.pool.PoolStats;
import dev.forklift.pool.RetryPolicy;
import dev.forklift.pool.SerializableFunction;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * {@code forklift chaos --cluster}: a broker, two worker hosts and a caller on this machine (127.0.0.1 only, each
 * host with its own shared-memory directory), the caller mapping rounds of inputs over the cluster while a killer
 * does one of these at random times: {@code kill -9} of a worker JVM of a host, {@code kill -9} of a whole worker
 * host (started again), {@code SIGSTOP} of a host for twice its lease (then {@code SIGCONT}), {@code kill -9} of
 * the broker (started again from its journal). The caller is the judge and is not killed: a caller's death ends
 * its own pool by definition. Every input must have exactly one correct result. Prints the same
 * {@code totals:} and {@code result:} lines as {@code forklift chaos}.
 */
final class ClusterChaos {
    private static final int ROUND = 1_000;
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final SerializableFunction<Long, Long> TASK = x -> {
        final long until = System.nanoTime() + 300_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        return x * 3 + 1;
    };

    private final AtomicLong progress = new AtomicLong();
    private final AtomicLong workerKills = new AtomicLong();
    private final AtomicLong hostKills = new AtomicLong();
    private final AtomicLong hostStops = new AtomicLong();
    private final AtomicLong brokerKills = new AtomicLong();
    private volatile Throwable killerError;
    private long tasks;
    private long rounds;
    private long lost;
    private long duplicates;
    private long wrong;
    private long failed;
    private long cancelled;

    /**
     * Runs the chaos and prints its summary.
     *
     * @param durationMs how long.
     * @param meanKill   mean time between faults.
     * @param seed       the seed of the fault schedule.
     * @param stallLimit time without results after which the run counts as hung.
     * @param out        the summary.
     * @param err        diagnostics.
     * @return true when nothing was lost, duplicated, wrong, failed or cancelled.
     */
    boolean run(final long durationMs, final Duration meanKill, final long seed, final Duration stallLimit,
        final PrintWriter out, final PrintWriter err) throws IOException, InterruptedException {
        out.printf("chaos --cluster: %.1f s, a fault every %d ms on average (seed %d): broker, 2 worker hosts of 1"
            + " worker, lease %d s%n", durationMs / 1000.0, meanKill.toMillis(), seed, LEASE.toSeconds());
        out.flush();
        final Path dir = Files.createTempDirectory("forklift-cluster-chaos");
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + durationMs * 1_000_000L;
        boolean stalled = false;
        PoolStats stats = null;
        Throwable error = null;
        try (LocalCluster cluster = new LocalCluster(dir, List.of("-Xmx128m"))) {
            cluster.startBroker();
            cluster.startHosts(List.of("h1", "h2"), 1, LEASE);
            try (Pool pool = Pool.builder().broker(cluster.url()).name("chaos-cluster").chunkSize(10)
                .retryPolicy(RetryPolicy.attempts(10)).build()) {
                final Thread killer = new Thread(() -> killLoop(cluster, pool, new Random(seed), meanKill,
                    deadlineNs), "chaos-killer");
                killer.setDaemon(true);
                final Thread workload = new Thread(() -> workload(pool, deadlineNs), "chaos-cluster-pool");
                workload.setDaemon(true);
                final Throwable[] workloadError = new Throwable[1];
                workload.setUncaughtExceptionHandler((t, ex) -> workloadError[0] = ex);
                workload.start();
                killer.start();
                long last = 0;
                long lastChangeNs = System.nanoTime();
                while (workload.isAlive()) {
                    workload.join(200);
                    final long now = progress.get();
                    if (now != last) {
                        last = now;
                        lastChangeNs = System.nanoTime();
                    } else if (System.nanoTime() - lastChangeNs > stallLimit.toNanos()) {
                        stalled = true;
                        err.println("chaos --cluster: no result for " + stallLimit.toSeconds() + " s; stats "
                            + pool.stats());
                        pool.shutdownNow(Duration.ofSeconds(5));
                        workload.join(10_000);
                        break;
                    }
                }
                killer.interrupt();
                killer.join(30_000);
                stats = pool.stats();
                error = workloadError[0] != null ? workloadError[0] : killerError;
            }
        } finally {
            deleteQuietly(dir);
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        final long kills = workerKills.get() + hostKills.get() + hostStops.get() + brokerKills.get();
        out.printf("duration:  %.1f s on %d cores (%s %s, Java %s)%n", seconds,
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
            System.getProperty("java.version"));
        out.printf("cluster:   tasks %d in %d rounds, worker kills %d, host kills %d, host stops %d, broker kills %d,"
                + " crashes %d, retries %d, late results dropped %d, failed after retries %d, lost %d, duplicates %d,"
                + " wrong %d%n", tasks, rounds, workerKills.get(), hostKills.get(), hostStops.get(),
            brokerKills.get(), stats == null ? 0 : stats.workerCrashes(), stats == null ? 0 : stats.retries(),
            stats == null ? 0 : stats.lateResultsDiscarded(), failed, lost, duplicates, wrong);
        out.printf("totals:    tasks %d, kills %d, retries %d, lost %d, duplicates %d%n", tasks, kills,
            stats == null ? 0 : stats.retries(), lost, duplicates);
        final ChaosVerdict verdict = new ChaosVerdict(stalled, stallLimit.toSeconds(), error, lost, duplicates, wrong,
            failed, cancelled);
        out.printf("result:    %s%n", verdict.line());
        out.flush();
        return verdict.ok();
    }

    private void workload(final Pool pool, final long deadlineNs) {
        long base = 0;
        do { // at least one round, as the local chaos run
            final long from = base;
            final int[] seen = new int[ROUND];
            final Iterator<Outcome<Long, Long>> outcomes = pool.imapOutcomes(TASK,
                LongStream.range(from, from + ROUND).boxed().iterator(), false);
            while (outcomes.hasNext()) {
                final Outcome<Long, Long> outcome = outcomes.next();
                progress.incrementAndGet();
                final long input = outcome.input();
                if (!outcome.isSuccess()) {
                    if (outcome.error() instanceof java.util.concurrent.CancellationException) {
                        cancelled++;
                    } else {
                        failed++;
                    }
                    seen[(int) (input - from)]++;
                    continue;
                }
                if (outcome.result() != input * 3 + 1) {
                    wrong++;
                }
                seen[(int) (input - from)]++;
            }
            for (final int times : seen) {
                if (times == 0) {
                    lost++;
                } else if (times > 1) {
                    duplicates += times - 1;
                }
            }
            tasks += ROUND;
            rounds++;
            base += ROUND;
        } while (System.nanoTime() < deadlineNs);
    }

    private void killLoop(final LocalCluster cluster, final Pool pool, final Random random, final Duration meanKill,
        final long deadlineNs) {
        killerError = FaultLoop.run(deadlineNs, () -> injectOne(cluster, pool, random, meanKill));
    }

    private void injectOne(final LocalCluster cluster, final Pool pool, final Random random, final Duration meanKill)
        throws IOException, InterruptedException {
        Thread.sleep((long) (meanKill.toMillis() * (0.5 + random.nextDouble())));
        final int pick = random.nextInt(100);
        final String host = random.nextBoolean() ? "h1" : "h2";
        if (pick < 45) {
            final List<Long> pids = pool.workerPids();
            if (!pids.isEmpty()) {
                new ProcessBuilder("kill", "-9", Long.toString(pids.get(random.nextInt(pids.size()))))
                    .start().waitFor();
                workerKills.incrementAndGet();
            }
        } else if (pick < 70) {
            LocalCluster.kill9(cluster.host(host));
            hostKills.incrementAndGet();
            cluster.startHosts(List.of(host), 1, LEASE);
        } else if (pick < 85) {
            final long pid = cluster.host(host).pid();
            new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
            hostStops.incrementAndGet();
            try {
                Thread.sleep(LEASE.toMillis() * 2);
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(pid)).start().waitFor();
            }
        } else {
            LocalCluster.kill9(cluster.broker());
            brokerKills.incrementAndGet();
            cluster.startBroker();
        }
    }

    private static void deleteQuietly(final Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (final IOException ex) {
            // best effort
        }
    }
}
