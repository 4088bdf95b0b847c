package dev.forklift.pool.internal;

/**
 * Where a task's outcomes go, in the parent: a future, or the buffer of a map/imap iterator. Called by the pool's
 * threads outside the pool's lock, possibly from two threads at once for different indices; each index at most
 * once. Internal; not API; shared with the pool over a broker, whose results go to the same iterators.
 */
public interface JobSink {
    /**
     * @param index the input's position within its task.
     * @param value the result, when {@code error} is null.
     * @param error why the input failed, or null.
     */
    void deliver(int index, Object value, Throwable error);

    /**
     * Delivers the outcomes of consecutive inputs at once (none of them skipped), then flushes. The sink may keep
     * {@code values} as it is (a map's chunk takes a whole chunk's array without copying it): the caller must not
     * use the array after this call.
     *
     * @param firstIndex the position of the first within the task.
     * @param values     the results.
     * @param errors     the failures, or null when none; an entry is null when its input succeeded.
     */
    default void deliverAll(final int firstIndex, final Object[] values, final Throwable[] errors) {
        for (int i = 0; i < values.length; i++) {
            deliver(firstIndex + i, values[i], errors == null ? null : errors[i]);
        }
        flush();
    }

    /**
     * Delivers the results of every input of the task at once, all of them {@code int}s and none failed (a packed
     * chunk of results, as a pool over a broker receives them), then flushes. The sink may keep {@code values} as it
     * is and box a value only when it is read (a {@code map} does): the caller must not use the array after this
     * call. By default the values are boxed and given to {@link #deliverAll}.
     *
     * @param values the results, one per input of the task, in order.
     */
    default void deliverInts(final int[] values) {
        final Object[] boxed = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        deliverAll(0, boxed, null);
    }

    /** Called after a run of deliveries: wake up waiting readers. */
    default void flush() {
    }
}
