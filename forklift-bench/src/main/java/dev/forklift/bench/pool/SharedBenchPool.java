package dev.forklift.bench.pool;

import dev.forklift.pool.Pool;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One warm pool of two workers shared by the throughput cases, as the Python peers time warm pools too. Built on
 * first use, warmed with a few maps and submits; {@link #close()} stops it. Thread-confined to the harness thread.
 */
final class SharedBenchPool {
    static final int WORKERS = 2;
    private static Pool pool;

    private SharedBenchPool() {
    }

    static synchronized Pool get() {
        if (pool == null) {
            pool = Pool.builder().workers(WORKERS).name("bench").build();
            // Warm the JIT of master and workers on both paths (the Python peers have no JIT to warm).
            final List<Integer> warm = IntStream.range(0, 200_000).boxed().collect(Collectors.toList());
            for (int i = 0; i < 5; i++) {
                pool.map(PoolFunctions.INC, warm);
                PoolSubmitCase.submitAll(pool, 20_000);
            }
        }
        return pool;
    }

    static synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
