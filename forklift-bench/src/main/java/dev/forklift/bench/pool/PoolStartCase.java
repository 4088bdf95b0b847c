package dev.forklift.bench.pool;

import dev.forklift.bench.DescribedCase;
import dev.forklift.bench.Limit;
import dev.forklift.bench.PythonPeer;
import dev.forklift.pool.Pool;

/**
 * From building a pool of 2 workers to its first result, against Python's {@code Pool(2)} with the spawn start
 * method (target: no slower than the peer, issue 12). Its limit is the {@link WorkerFloor}: one JVM launched to
 * its first result doing the least a worker can, what no pool of JVM processes goes under.
 */
public final class PoolStartCase extends DescribedCase {
    /** The case with its fixed description and target. */
    public PoolStartCase() {
        super("P-start",
            "pool of 2 from creation to first result vs Pool(2) with spawn",
            "ms", false, 1.0);
    }

    @Override
    public Limit limit() {
        return new WorkerFloor();
    }

    @Override
    public double runForklift() throws Exception {
        final long start = System.nanoTime();
        final double ms;
        try (Pool pool = Pool.builder().workers(2).name("bench-start").build()) {
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
}
