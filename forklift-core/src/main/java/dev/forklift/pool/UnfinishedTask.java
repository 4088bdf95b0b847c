package dev.forklift.pool;

/**
 * An input that had not finished when {@link Pool#shutdownNow} stopped the pool; its future or iterator was
 * completed with a {@link java.util.concurrent.CancellationException}.
 *
 * @param taskId the pool's id of the task that carried the input (a chunk carries several inputs).
 * @param input  the input, may be null.
 */
public record UnfinishedTask(long taskId, Object input) {
}
