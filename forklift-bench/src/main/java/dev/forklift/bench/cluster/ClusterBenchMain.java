package dev.forklift.bench.cluster;

import dev.forklift.cluster.LocalCluster;
import dev.forklift.pool.Pool;
import dev.forklift.pool.SerializableFunction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code ./forklift bench cluster [RUNS]}: the cluster pool against the local pool, side by side in one run on this
 * machine: a broker and worker hosts of 1 worker each as real processes on 127.0.0.1 ({@link LocalCluster}), the
 * caller in this JVM; the local pool has as many workers as the cluster has hosts. The broker and hosts run with the JVM
 * settings users get from {@code forklift broker} and {@code forklift worker}: the JVM's defaults
 * ({@link LocalCluster#commandDefaults()}).
 * <ul>
 * <li>{@code map(x -> x + 1)} over 1M integers, automatic chunks: cluster of 2 hosts vs local pool of 2;</li>
 * <li>{@code submit} of 20,000 tasks, all collected: the same two;</li>
 * <li>scaling: the map with 1, 2 and 4 hosts.</li>
 * </ul>
 * The Python peers run side by side in the same minutes, each run between Forklift's runs ({@link PythonPeers}, set
 * up on first use; {@code --no-peers} skips them): Ray's {@code ray.util.multiprocessing.Pool(2).map} over the same 1M
 * integers (default chunking), Celery's chunked tasks (1000 items per chunk) and Celery's {@code delay().get()} with
 * {@code acks_late} and prefetch 1, on a Redis bound to 127.0.0.1; the ratios against the targets follow.
 */
public final class ClusterBenchMain {
    private static final int MAP_INPUTS = 1_000_000;
    private static final int SUBMITS = 20_000;
    /** Whole maps run on each pool before measuring (see the warm-up in {@link #main}). */
    private static final int WARM_UP_MAPS = 3;
    /** Items of Celery's chunked case (as in the reference measurement). */
    private static final int CELERY_CHUNK_ITEMS = 200_000;
    /** Celery's {@code delay().get()} runs about 500 tasks/s here: 5,000 keep a run under 20 s. */
    private static final int CELERY_DELAYS = 5_000;
    /** The trivial function of the pool cases, as the peers run {@code x + 1}. */
    private static final SerializableFunction<Integer, Integer> INC = x -> x + 1;

    private ClusterBenchMain() {
    }

    /**
     * @param args optional number of measured runs per side (default 3), optional {@code --no-peers}, {@code --no-scaling}.
     * @throws Exception if a run fails.
     */
    public static void main(final String[] args) throws Exception {
        final List<String> flags = List.of(args);
        final boolean withPeers = !flags.contains("--no-peers");
        final int runs = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 3;
        System.out.printf(Locale.ROOT, "java %s, %d cores, %s; broker, hosts and caller on 127.0.0.1 (broker and hosts"
                + " with the JVM defaults of forklift broker / forklift worker); %d run(s) per side, alternating;"
                + " median [min..max]%n", System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), runs);
        final List<Integer> inputs = IntStream.range(0, MAP_INPUTS).boxed().collect(Collectors.toList());
        final Path dir = Files.createTempDirectory("forklift-cluster-bench");
        // the broker and hosts run with the JVM settings of `forklift broker` and `forklift worker` (the JVM's defaults)
        try (LocalCluster cluster = new LocalCluster(dir, List.of()).commandDefaults()) {
            cluster.startBroker();
            cluster.startHosts(List.of("h1", "h2"), 1, Duration.ofSeconds(30));
            try (PythonPeers peers = withPeers ? PythonPeers.open(dir) : null;
                 Pool remote = Pool.builder().broker(cluster.url()).name("bench-cluster").workers(2).build();
                 Pool local = Pool.builder().name("bench-local").workers(2).build()) {
                // Warm-up: with the JVM's defaults the broker and hosts compile with C2 for several maps (a broker
                // run by users stays up for days), so a few whole maps go first on each pool.
                for (int i = 0; i < WARM_UP_MAPS; i++) {
                    remote.map(INC, inputs);
                    local.map(INC, inputs);
                }
                final List<Double> mapRemote = new ArrayList<>();
                final List<Double> mapLocal = new ArrayList<>();
                final List<Double> submitRemote = new ArrayList<>();
                final List<Double> submitLocal = new ArrayList<>();
                final List<Double> rayMap = new ArrayList<>();
                final List<Double> celeryChunks = new ArrayList<>();
                final List<Double> celeryDelay = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    mapRemote.add(map(remote, inputs));
                    mapLocal.add(map(local, inputs));
                    submitRemote.add(submit(remote));
                    submitLocal.add(submit(local));
                    if (peers != null) {
                        rayMap.add(peers.run("ray-map", MAP_INPUTS));
                        celeryChunks.add(peers.run("celery-chunks", CELERY_CHUNK_ITEMS));
                        celeryDelay.add(peers.run("celery-delay", CELERY_DELAYS));
                    }
                }
                row("C-map", "map(x -> x + 1) over 1M ints, broker + 2 hosts x 1 worker (JVM defaults, as the commands)", mapRemote,
                    "local pool of 2", mapLocal);
                row("C-submit", "submit x 20k, all collected, broker + 2 hosts x 1 worker", submitRemote,
                    "local pool of 2", submitLocal);
                if (peers != null) {
                    System.out.printf(Locale.ROOT, "peers, same minutes, alternating with the runs above:%n");
                    peer("Ray ray.util.multiprocessing.Pool(2).map over 1M ints, default chunking", rayMap);
                    peer("Celery chunks, 200k items, 1000 per chunk, acks_late + prefetch 1", celeryChunks);
                    peer("Celery delay().get() x 5,000, acks_late + prefetch 1", celeryDelay);
                    target("C-map / Ray Pool(2).map", mapRemote, rayMap, 10);
                    target("C-map / Celery chunks", mapRemote, celeryChunks, 50);
                    target("C-submit / Celery delay().get() acks_late", submitRemote, celeryDelay, 10);
                }
            }
            if (flags.contains("--no-scaling")) {
                return;
            }
            System.out.println("scaling of C-map with worker hosts of 1 worker each (on this machine's cores):");
            for (final int hosts : new int[] {1, 2, 4}) {
                final List<String> names = new ArrayList<>();
                for (int h = 1; h <= 4; h++) {
                    names.add("h" + h);
                }
                // run exactly `hosts` hosts: stop the others, start the missing ones
                for (int h = 1; h <= 4; h++) {
                    final Process host = cluster.host("h" + h);
                    if (h > hosts && host != null && host.isAlive()) {
                        LocalCluster.kill9(host);
                    }
                }
                final List<String> missing = new ArrayList<>();
                for (int h = 1; h <= hosts; h++) {
                    final Process host = cluster.host("h" + h);
                    if (host == null || !host.isAlive()) {
                        missing.add("h" + h);
                    }
                }
                cluster.startHosts(missing, 1, Duration.ofSeconds(30));
                Thread.sleep(6_000); // let the status of killed hosts expire
                try (Pool remote = Pool.builder().broker(cluster.url()).name("bench-scale").workers(hosts).build()) {
                    remote.map(INC, inputs.subList(0, 10_000));
                    final List<Double> measured = new ArrayList<>();
                    for (int i = 0; i < runs; i++) {
                        measured.add(map(remote, inputs));
                    }
                    System.out.printf(Locale.ROOT, "  %d host(s): %,12.0f tasks/s  %s%n", hosts, median(measured),
                        spread(measured));
                }
            }
        }
        System.out.println("reference (../shared/reference/cluster-peers.md, same machine kind, quiet): Ray Pool(2).map"
            + " 1M default chunks 205k tasks/s; Celery delay().get() x 20k acks_late 461 tasks/s; Celery chunks 60.5k"
            + " items/s");
    }

    private static double map(final Pool pool, final List<Integer> inputs) {
        final long start = System.nanoTime();
        final List<Integer> results = pool.map(INC, inputs);
        final double seconds = (System.nanoTime() - start) / 1e9;
        if (results.size() != inputs.size() || results.get(results.size() - 1) != inputs.size()) {
            throw new IllegalStateException("wrong results");
        }
        return inputs.size() / seconds;
    }

    private static double submit(final Pool pool) throws Exception {
        final long start = System.nanoTime();
        final List<CompletableFuture<Integer>> futures = new ArrayList<>(SUBMITS);
        for (int i = 0; i < SUBMITS; i++) {
            futures.add(pool.submit(INC, i));
        }
        long sum = 0;
        for (final CompletableFuture<Integer> future : futures) {
            sum += future.get();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        if (sum != (long) SUBMITS * (SUBMITS + 1) / 2) {
            throw new IllegalStateException("wrong results");
        }
        return SUBMITS / seconds;
    }

    private static void row(final String name, final String what, final List<Double> cluster, final String other,
        final List<Double> local) {
        System.out.printf(Locale.ROOT, "%-9s cluster %,12.0f tasks/s %s   %s %,12.0f tasks/s %s   cluster/local"
            + " %.3f%n  %s%n", name, median(cluster), spread(cluster), other, median(local), spread(local),
            median(cluster) / median(local), what);
    }

    private static void peer(final String what, final List<Double> rates) {
        System.out.printf(Locale.ROOT, "  %-72s %,12.0f tasks/s %s%n", what, median(rates), spread(rates));
    }

    /** Prints the ratio of Forklift's median to the peer's against the target. */
    private static void target(final String what, final List<Double> forklift, final List<Double> peer,
        final double targetRatio) {
        final double ratio = median(forklift) / median(peer);
        System.out.printf(Locale.ROOT, "  %-45s %8.1fx   target >= %.0fx: %s%n", what, ratio, targetRatio,
            Double.isNaN(ratio) ? "not measured" : ratio >= targetRatio ? "met" : "NOT met");
    }

    private static double median(final List<Double> values) {
        final List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String spread(final List<Double> values) {
        return String.format(Locale.ROOT, "[%,.0f..%,.0f]", values.stream().mapToDouble(d -> d).min().orElse(0),
            values.stream().mapToDouble(d -> d).max().orElse(0));
    }
}
