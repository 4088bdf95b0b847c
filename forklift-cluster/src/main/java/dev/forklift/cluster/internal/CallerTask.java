package dev.forklift.cluster.internal;

/**
 * One task as the caller tracks it: a function, one or more encoded inputs (a chunk), the attempt it was last
 * sent as, and where its outcomes go. Mutable fields are guarded by the pool's lock. Internal to the module.
 */
final class CallerTask {
    final long id;
    final int functionId;
    /** {@code [int count][elements]}, as {@link ShippedFunction} reads it. */
    final byte[] body;
    final Object[] inputs;
    final Sink sink;
    final long timeoutMs;
    int attempt;
    long firstAttemptMs;
    long lastAttemptMs;

    /** Where a task's outcomes go; called on the pool's collector thread (or the stopping thread). */
    interface Sink {
        /**
         * @param index the input's index within the task.
         * @param value its result, when error is null.
         * @param error why it failed, or null.
         */
        void deliver(int index, Object value, Throwable error);

        /**
         * Delivers the results of every input of the task at once, all succeeded (one wake-up of the reader for a
         * whole chunk).
         *
         * @param values the results, by index.
         */
        default void deliverAll(final Object[] values) {
            for (int i = 0; i < values.length; i++) {
                deliver(i, values[i], null);
            }
        }

        /**
         * As {@link #deliverAll(Object[])} for a chunk whose results are all {@code int}s, still packed; the sink may
         * keep the array (a {@code map} boxes a value only when it is read). By default each is boxed.
         *
         * @param values the results, by index.
         */
        default void deliverInts(final int[] values) {
            final Object[] boxed = new Object[values.length];
            for (int i = 0; i < values.length; i++) {
                boxed[i] = values[i];
            }
            deliverAll(boxed);
        }
    }

    CallerTask(final long id, final int functionId, final byte[] body, final Object[] inputs, final Sink sink,
        final long timeoutMs) {
        this.id = id;
        this.functionId = functionId;
        this.body = body;
        this.inputs = inputs;
        this.sink = sink;
        this.timeoutMs = timeoutMs;
    }

    static Sink offset(final Sink sink, final int offset) {
        return (index, value, error) -> sink.deliver(offset + index, value, error);
    }
}
