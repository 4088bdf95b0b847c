package dev.forklift.cli.run;

import dev.forklift.pool.SerializableFunction;

/**
 * The function the workers of {@code forklift run} apply: the user's task to each line. A {@link RejectedLine}
 * marker is not given to the task; the worker answers it with null, and the parent reports it as the failed line
 * it stands for. Sent to each worker once (serialized); {@link #apply} runs on the worker's task thread.
 */
final class LineTask implements SerializableFunction<String, Object> {
    private static final long serialVersionUID = 1L;

    private final SerializableFunction<String, Object> task;

    /** @param task the user's task, such as {@code PoolFunctions.byClassName(className)}. */
    LineTask(final SerializableFunction<String, Object> task) {
        this.task = task;
    }

    @Override
    public Object apply(final String input) {
        return RejectedLine.isMarker(input) ? null : task.apply(input);
    }

    @Override
    public String toString() {
        return task.toString();
    }
}
