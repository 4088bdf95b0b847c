package dev.forklift.pipeline.internal;

/**
 * An item on a pipeline queue, with the index of the source it came from, its position there and its ordinal
 * among the items a process emitted for that position (-1, -1 and 0 for items emitted in {@code Stage.finish}).
 * (source, position, ordinal) identifies an item of a producer's output, which lets the sink drop the items a
 * restarted producer emits a second time.
 *
 * @param source   index of the source in the pipeline's source list, or -1.
 * @param position position in the source, or -1.
 * @param ordinal  0 for the first item emitted at this position, 1 for the next, ...
 * @param payload  the item.
 */
public record Envelope(int source, long position, int ordinal, Object payload) {
    /**
     * @param source   index of the source, or -1.
     * @param position position in the source, or -1.
     * @param payload  the item.
     */
    public Envelope(final int source, final long position, final Object payload) {
        this(source, position, 0, payload);
    }
}
