package dev.forklift.pool.internal;

import java.util.List;

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
     * Waits for the next result frame from any worker.
     *
     * @param timeoutMs the longest wait, in milliseconds.
     * @return the frame, or null if none came in time (or the transport is closed).
     * @throws InterruptedException if interrupted while waiting.
     */
    byte[] pollResult(long timeoutMs) throws InterruptedException;

    /** @return result frames waiting now (a snapshot); every frame a dead worker sent is among them or read. */
    int pendingResults();

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
