package dev.forklift.pipeline;

import java.io.Serializable;

/**
 * The work of one pipeline stage: turns each input item into zero or more output items.
 *
 * <p>The parent gives the stage object to {@link PipelineBuilder}; it is serialized to every process of the stage
 * (so it must be serializable: a class, or a lambda cast to this type), and each process has its own copy. In a
 * process, {@link #process} is called by one thread at a time, for every item that reaches it, in arrival order;
 * {@link #finish} is called once after the end of its input stream, to emit what it kept (partial aggregates).
 *
 * @param <I> the type of the input items.
 * @param <O> the type of the output items.
 */
@FunctionalInterface
public interface Stage<I, O> extends Serializable {
    /**
     * Processes one item.
     *
     * @param item   the item.
     * @param output where results go; {@link Emitter#emit} blocks while the next queue is full.
     * @throws Exception any failure: the pipeline's {@link ErrorPolicy} gets a record naming this stage, the
     *                   item's source and position, and the error.
     */
    void process(I item, Emitter<O> output) throws Exception;

    /**
     * Called once when the input has ended, before the process exits.
     *
     * @param output where remaining results go.
     * @throws Exception any failure, handled like one of {@link #process}.
     */
    default void finish(final Emitter<O> output) throws Exception {
    }
}
