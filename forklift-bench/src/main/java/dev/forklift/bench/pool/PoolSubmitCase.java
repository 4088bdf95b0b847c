package dev.forklift.bench.pool;

import dev.forklift.bench.DescribedCase;
import dev.forklift.bench.PythonPeer;
import dev.forklift.pool.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code submit} of a trivial function per task on a warm pool of 2 workers, then waiting for every future,
 * against Python's {@code ProcessPoolExecutor(2).submit} per task (target: at least 20x).
 */
public final class PoolSubmitCase extends DescribedCase {
    static final int TASKS = 200_000;

    /** The case with its fixed description and target. */
    public PoolSubmitCase() {
        super("P-submit",
            "pool of 2: submit(x -> x + 1) per task, 200k tasks vs ProcessPoolExecutor(2).submit",
            "tasks/s", true, 20.0);
    }

    @Override
    public double runForklift() throws Exception {
        final Pool pool = SharedBenchPool.get();
        final long start = System.nanoTime();
        submitAll(pool, TASKS);
        return TASKS / ((System.nanoTime() - start) / 1e9);
    }

    @Override
    public double runPeer() throws Exception {
        return Double.parseDouble(PythonPeer.run("pool_submit.py", 600, Integer.toString(TASKS)).get("tasks_per_s"));
    }

    static void submitAll(final Pool pool, final int tasks) {
        final List<CompletableFuture<Integer>> futures = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            futures.add(pool.submit(PoolFunctions.INC, i));
        }
        long sum = 0;
        for (final CompletableFuture<Integer> future : futures) {
            sum += future.join();
        }
        if (sum != (long) tasks * (tasks + 1) / 2) {
            throw new IllegalStateException("wrong sum " + sum);
        }
    }
}
