package dev.forklift.pool;

/**
 * What {@link Pool#submit} does when the pool already holds its limit of submitted, unfinished tasks
 * ({@link PoolBuilder#maxPendingSubmits(int, SubmitOverflow)}).
 */
public enum SubmitOverflow {
    /** The caller waits until a submitted task finishes (back-pressure); the default. */
    BLOCK,
    /** {@code submit} throws {@link java.util.concurrent.RejectedExecutionException} naming the limit. */
    REJECT
}
