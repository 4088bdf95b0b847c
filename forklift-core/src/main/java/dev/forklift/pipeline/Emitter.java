package dev.forklift.pipeline;

/**
 * Where a {@link Stage} puts its results, in the stage's process. Results carry the source and position of the
 * input item being processed (none in {@link Stage#finish}). Not thread-safe: use it from the calling thread.
 *
 * @param <O> the type of the results.
 */
public interface Emitter<O> {
    /**
     * Passes a result on, routed by the next stage's {@link Routing} (by key, or to any process). Blocks while
     * the target queue is full.
     *
     * @param item the result, not null.
     * @throws InterruptedException if the process is being stopped.
     * @throws IllegalStateException if the next stage is routed {@link Routing#explicit()}: use
     *                               {@link #emit(int, Object)}.
     */
    void emit(O item) throws InterruptedException;

    /**
     * Passes a result to one partition of the next stage (its process number {@code partition}).
     *
     * @param partition the partition, 0 to {@link #partitions()} - 1.
     * @param item      the result, not null.
     * @throws InterruptedException      if the process is being stopped.
     * @throws IndexOutOfBoundsException naming the partition when it is out of range.
     */
    void emit(int partition, O item) throws InterruptedException;

    /** @return the number of partitions (processes) of the next stage; 1 when the next step is the sink. */
    int partitions();
}
