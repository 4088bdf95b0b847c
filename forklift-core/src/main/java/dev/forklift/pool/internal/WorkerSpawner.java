package dev.forklift.pool.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Starts a pool's worker processes: the first ones on the caller's thread (as many as may boot at once; the rest on
 * the spawner thread as those boots end, {@link StaggeredStart}), replacements on the spawner thread after the
 * {@link RespawnLimiter}'s delay, so that launching a JVM never holds the pool's lock. Names the workers
 * ({@code pool-worker-N}) and counts the ones being started. Internal; not API.
 *
 * <p>Threads: {@link #startNow} from the pool's constructor; every other method except {@link #close()} with the
 * pool's lock held (they never block); the {@link Listener} runs on the spawner thread without the lock.
 * {@link #close()} is idempotent and does not wait for a start in progress (whose listener then still runs).
 */
final class WorkerSpawner implements AutoCloseable {
    /** Told how a scheduled start ended; called on the spawner thread, without the pool's lock. */
    interface Listener {
        /**
         * @param specs    the workers asked for.
         * @param channels one channel per spec, in order; null if the start failed.
         * @param failure  why the start failed, or null.
         */
        void spawned(List<WorkerTransport.WorkerSpec> specs, List<WorkerChannel> channels, RuntimeException failure);
    }

    private final String poolName;
    private final WorkerTransport transport;
    private final byte[] initializer;
    private final RespawnLimiter limiter = new RespawnLimiter();
    private final ScheduledExecutorService executor;
    private int nextWorkerId = 1;
    private int starting;

    /**
     * @param poolName    the pool's name, prefix of the workers' names.
     * @param transport   starts the worker processes.
     * @param initializer the serialized per-worker initializer, or null.
     */
    WorkerSpawner(final String poolName, final WorkerTransport transport, final byte[] initializer) {
        this.poolName = poolName;
        this.transport = transport;
        this.initializer = initializer;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            final Thread thread = new Thread(r, poolName + "-spawner");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** @return the specs of {@code count} new workers, with fresh ids. */
    List<WorkerTransport.WorkerSpec> specs(final int count) {
        final List<WorkerTransport.WorkerSpec> specs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final int id = nextWorkerId++;
            specs.add(new WorkerTransport.WorkerSpec(id, poolName + "-worker-" + id, initializer));
        }
        return specs;
    }

    /**
     * Starts workers now, on this thread.
     *
     * @param specs the workers.
     * @return their channels, in order.
     * @throws dev.forklift.process.ChildStartException if any cannot start; none is left running.
     */
    List<WorkerChannel> startNow(final List<WorkerTransport.WorkerSpec> specs) {
        return transport.startWorkers(specs);
    }

    /**
     * Launches workers without waiting for them to be ready: the pool's first workers, of which the first ready
     * takes tasks while the others still start. At most {@code bootLimit} are launched now, on this thread; each
     * other one on the spawner thread when one of those is ready or has failed ({@link StaggeredStart}). Each one
     * not yet handed over counts as {@link #starting()} from here until {@link #done} is called for it.
     *
     * @param specs     the workers.
     * @param bootLimit how many may boot at once ({@link StaggeredStart#bootLimit}); below 1 counts as 1.
     * @return one future per worker, in order (see {@link WorkerTransport#startWorkersEach}).
     * @throws dev.forklift.process.ChildStartException if the first cannot be launched; none is left running.
     */
    List<CompletableFuture<WorkerChannel>> startEachNow(final List<WorkerTransport.WorkerSpec> specs,
        final int bootLimit) {
        final List<CompletableFuture<WorkerChannel>> started = StaggeredStart.start(specs, Math.max(1, bootLimit),
            transport::startWorkersEach, executor);
        starting += specs.size();
        return started;
    }

    /** @return workers scheduled or being started and not yet handed to the listener. */
    int starting() {
        return starting;
    }

    /**
     * Schedules the start of {@code count} workers after the limiter's current delay; the listener learns how it
     * ended, and must then call {@link #done}.
     *
     * @param count    how many, at least 1.
     * @param listener told of the outcome on the spawner thread.
     */
    void spawnLater(final int count, final Listener listener) {
        final List<WorkerTransport.WorkerSpec> specs = specs(count);
        starting += count;
        try {
            executor.schedule(() -> spawn(specs, listener), limiter.delayMs(), TimeUnit.MILLISECONDS);
        } catch (final RejectedExecutionException ex) {
            starting -= count; // closed: the pool is stopping
        }
    }

    private void spawn(final List<WorkerTransport.WorkerSpec> specs, final Listener listener) {
        List<WorkerChannel> channels = null;
        RuntimeException failure = null;
        try {
            channels = transport.startWorkers(specs);
        } catch (final RuntimeException ex) {
            failure = ex;
        }
        listener.spawned(specs, channels, failure);
    }

    /** @param count workers of a scheduled start that the listener has handled. */
    void done(final int count) {
        starting -= count;
    }

    /** A worker crashed (or could not start): the next replacement waits longer. */
    void crashed() {
        limiter.crashed();
    }

    /** A task succeeded: replacements start without delay again. */
    void succeeded() {
        limiter.succeeded();
    }

    /** @return the delay the next replacement waits for, in ms. */
    long delayMs() {
        return limiter.delayMs();
    }

    /** @return true when consecutive crashes have pushed the delay to its maximum. */
    boolean atMaxDelay() {
        return limiter.delayMs() >= RespawnLimiter.MAX_DELAY_MS;
    }

    /** Stops scheduling; a start in progress finishes and still reaches its listener. Idempotent; never blocks. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
