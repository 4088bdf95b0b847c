package dev.forklift.pool.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How the master talks with its workers: the one seam between the pool's logic and the medium that carries its
 * frames. The shared-memory implementation ({@link SharedMemoryTransport}) uses one queue per worker for tasks and
 * one shared queue for results; a broker-backed transport can take its place without touching the pool.
 *
 * <p>Frames are opaque byte arrays (see {@link TaskFrames} and {@link ResultFrames}); a transport delivers each
 * frame whole, at most once, in the order sent per worker. Used by the master (parent) process only: start and
 * close from the pool's lifecycle, {@link #pollResult} from the pool's single result thread.
 */
public interface WorkerTransport extends AutoCloseable {
    /**
     * Starts workers in parallel and returns once each runs the worker loop (its initializer may still run).
     *
     * @param specs the workers to start.
     * @return one channel per spec, in order.
     * @throws dev.forklift.process.ChildStartException if any cannot start; none of this call is left running.
     */
    List<WorkerChannel> startWorkers(List<WorkerSpec> specs);

    /**
     * Starts workers in parallel and returns before they are ready: one future per spec, completed with the worker's
     * channel once it runs the worker loop, or exceptionally with the {@link dev.forklift.process.ChildStartException}
     * of a worker that could not start (that worker is gone; the others go on). Cancelling a future stops its worker's
     * start and kills it. The default waits for every worker ({@link #startWorkers}).
     *
     * @param specs the workers to start.
     * @return one future per spec, in order.
     * @throws dev.forklift.process.ChildStartException if the workers cannot even be launched; none is left running.
     */
    default List<CompletableFuture<WorkerChannel>> startWorkersEach(final List<WorkerSpec> specs) {
        final List<CompletableFuture<WorkerChannel>> started = new ArrayList<>();
        for (final WorkerChannel channel : startWorkers(specs)) {
            started.add(CompletableFuture.completedFuture(channel));
        }
        return started;
    }

    /**
     * Waits for the next result frame from any worker.
     *
     * @param timeoutMs the longest wait, in milliseconds.
     * @return the frame, or null if none came in time (or the transport is closed).
     * @throws InterruptedException if interrupted while waiting.
     */
    byte[] pollResult(long timeoutMs) throws InterruptedException;

    /**
     * A mark in the stream of result frames, past every frame any worker has sent or begun to send so far. Taken
     * once a worker's exit is known, it lies past every frame that worker sent, or was sending when it died.
     * Never blocks; thread-safe.
     *
     * @return the mark.
     */
    long resultsMark();

    /**
     * @param mark a mark from {@link #resultsMark()}.
     * @return true once {@link #pollResult} has returned, or skipped as torn, every frame before the mark (so the
     *         master has handled them). Never blocks; called from the result thread.
     */
    boolean resultsReadPast(long mark);

    /**
     * Tells the transport that a worker process is dead, so that what it held of the shared result stream (a frame
     * it was writing when it died) is given up at once rather than after the stream's own repair time. Called once
     * per worker exit, from the thread that learns of it; never blocks long.
     *
     * @param pid the dead worker's pid.
     */
    void repairAfterDeath(long pid);

    /** Frees the transport's resources; workers must be stopped first. Idempotent, never blocks long. */
    @Override
    void close();

    /**
     * What the master asks for when it starts one worker.
     *
     * @param workerId    the master's id of the worker, echoed in its result frames.
     * @param name        the worker's process name.
     * @param initializer the serialized per-worker initializer, or null.
     */
    record WorkerSpec(int workerId, String name, byte[] initializer) {
    }
}
