package dev.forklift.bench.pool;

import dev.forklift.bench.SteadyWorkload;
import dev.forklift.pool.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P-submit run until closed: one thread submits {@code x -> x + 1} per task to the bench's warm pool of two
 * workers in batches of {@value #BATCH} and waits for every future of a batch before the next (as
 * {@link PoolSubmitCase} does with 200k); {@link #done()} counts the futures joined.
 */
public final class PoolSubmitWorkload implements SteadyWorkload {
    static final int BATCH = 20_000;

    private final Pool pool;
    private final AtomicLong completed = new AtomicLong();
    private final Thread driver;
    private volatile boolean stopping;
    private volatile Throwable failure;

    private PoolSubmitWorkload(final Pool pool) {
        this.pool = pool;
        this.driver = new Thread(this::drive, "bench-pool-submit");
        driver.setDaemon(true);
        driver.start();
    }

    /** @return the running workload on the shared warm pool (built and warmed on first use); close it. */
    public static PoolSubmitWorkload start() {
        return new PoolSubmitWorkload(SharedBenchPool.get());
    }

    private void drive() {
        try {
            final List<CompletableFuture<Integer>> futures = new ArrayList<>(BATCH);
            while (!stopping) {
                futures.clear();
                for (int i = 0; i < BATCH; i++) {
                    futures.add(pool.submit(PoolFunctions.INC, i));
                }
                for (final CompletableFuture<Integer> future : futures) {
                    if (future.join() < 1) {
                        throw new IllegalStateException("a wrong result");
                    }
                    completed.lazySet(completed.get() + 1); // one writer
                }
            }
        } catch (final Throwable ex) {
            failure = ex;
        }
    }

    @Override
    public long done() {
        if (failure != null) {
            throw new IllegalStateException("the submitting thread failed: " + failure, failure);
        }
        return completed.get();
    }

    @Override
    public List<Long> childPids() {
        return pool.workerPids();
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        driver.join(TimeUnit.SECONDS.toMillis(60));
    }
}
