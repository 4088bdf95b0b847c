package dev.forklift.pipeline.internal;

/**
 * An item on a pipeline queue, with the index of the source it came from and its position there (-1 and -1 for
 * items emitted in {@code Stage.finish}).
 *
 * @param source   index of the source in the pipeline's source list, or -1.
 * @param position position in the source, or -1.
 * @param payload  the item.
 */
public record Envelope(int source, long position, Object payload) {
}
