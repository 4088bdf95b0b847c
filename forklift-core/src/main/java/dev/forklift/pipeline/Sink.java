package dev.forklift.pipeline;

/**
 * Where the results of a pipeline go: runs in the parent, on the thread that called {@link Pipeline#run}, one
 * item at a time. A slow sink slows the whole pipeline down through the bounded queues (back-pressure), never
 * grows memory.
 *
 * @param <T> the type of the results.
 */
@FunctionalInterface
public interface Sink<T> extends AutoCloseable {
    /**
     * Takes one result.
     *
     * @param item the result.
     * @throws Exception any failure, handled by the pipeline's {@link ErrorPolicy} as stage {@code sink}.
     */
    void accept(T item) throws Exception;

    /** Flushes and releases what the sink holds; called once when the pipeline ends. Default: nothing. */
    @Override
    default void close() throws Exception {
    }
}
