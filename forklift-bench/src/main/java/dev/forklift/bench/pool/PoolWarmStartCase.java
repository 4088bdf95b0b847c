package dev.forklift.bench.pool;

import dev.forklift.bench.DescribedCase;
import dev.forklift.bench.PythonPeer;
import dev.forklift.pool.Pool;
import dev.forklift.pool.PoolBuilder;

import java.time.Duration;

/**
 * From building a pool of 2 workers with {@link PoolBuilder#warmWorkers(boolean) warm workers} to its first
 * result. Before each run (untimed) the user's warm host is started if needed and waited for until it holds 2 spare
 * workers ({@link PoolBuilder#warmUp(Duration)}), as it does between the jobs of a user who runs them one after the
 * other. Target absolute: under 20 ms; the peer, Python's spawn {@code Pool(2)} from creation to first result, is
 * shown for scale.
 */
public final class PoolWarmStartCase extends DescribedCase {
    private static final double MAX_MS = 20;

    /** The case with its fixed description and target. */
    public PoolWarmStartCase() {
        super("P-warm", "pool of 2 with warm workers (host warmed, untimed) from creation to first result; peer "
            + "Pool(2) with spawn, for scale; target absolute", "ms", false, 0);
    }

    @Override
    public double runForklift() throws Exception {
        final PoolBuilder builder = Pool.builder().workers(2).name("bench-warm").warmWorkers(true);
        if (!builder.warmUp(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the warm host did not get 2 spare workers within 60 s");
        }
        final long start = System.nanoTime();
        final double ms;
        try (Pool pool = builder.build()) {
            if (pool.submit(PoolFunctions.INC, 1).join() != 2) {
                throw new IllegalStateException("wrong result");
            }
            ms = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    @Override
    public double runPeer() throws Exception {
        return Double.parseDouble(PythonPeer.run("pool_start.py", 120).get("ms"));
    }

    @Override
    public boolean passes(final double forklift, final double peer) {
        return forklift < MAX_MS;
    }

    @Override
    public double ratio(final double forklift, final double peer) {
        return peer / forklift;
    }

    @Override
    public String target() {
        return "<" + (int) MAX_MS + "ms";
    }
}
