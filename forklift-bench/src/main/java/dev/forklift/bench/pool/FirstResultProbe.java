package dev.forklift.bench.pool;

import dev.forklift.pool.Pool;
import dev.forklift.pool.PoolBuilder;

import java.time.Duration;

/**
 * P-start or P-warm timed as the bench times them, {@code N} pools one after the other in this JVM, one figure per
 * pool on one line: {@code build()} of a pool of 2 to the first result of {@code submit(INC, 1)}; for {@code warm}
 * the user's warm host is warmed before each pool, untimed ({@link PoolBuilder#warmUp}), then (with
 * {@code -Dprobe.restMs}, default 0 as in P-warm) a rest. The first pool of a JVM is its cold start (and for
 * {@code warm} starts the host): leave it out when comparing later pools. {@code -Dprobe.workers=N} sets the pool's
 * size (default 2, as the bench's), {@code -Dprobe.jvmOptions="A B"} the workers' JVM options (default none, as the
 * bench's). Run old and new jars alternately; the
 * figures of benchmarks.md, "Pool of 2: the first task on the first worker ready", came from it.
 *
 * <p>Usage: {@code java -cp forklift-bench.jar dev.forklift.bench.pool.FirstResultProbe start|warm N}.
 */
public final class FirstResultProbe {
    private FirstResultProbe() {
    }

    /** @param args {@code start} or {@code warm}, then the number of pools. */
    public static void main(final String[] args) throws Exception {
        final boolean warm = args[0].equals("warm");
        final int pools = Integer.parseInt(args[1]);
        final long restMs = Long.getLong("probe.restMs", 0);
        final int workers = Integer.getInteger("probe.workers", 2);
        final String options = System.getProperty("probe.jvmOptions", "").strip();
        final StringBuilder line = new StringBuilder(warm ? "warm" : "start");
        for (int i = 0; i < pools; i++) {
            final PoolBuilder builder = Pool.builder().workers(workers).name(warm ? "bench-warm" : "bench-start")
                .warmWorkers(warm);
            if (!options.isEmpty()) {
                builder.jvmOptions(options.split(" +"));
            }
            if (warm && !builder.warmUp(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the warm host did not get " + workers
                    + " spare workers within 60 s");
            }
            if (restMs > 0) {
                Thread.sleep(restMs);
            }
            final long start = System.nanoTime();
            final double ms;
            try (Pool pool = builder.build()) {
                if (pool.submit(PoolFunctions.INC, 1).join() != 2) {
                    throw new IllegalStateException("wrong result");
                }
                ms = (System.nanoTime() - start) / 1e6;
            }
            line.append(String.format(" %.1f", ms));
        }
        System.out.println(line);
    }
}
