package dev.forklift.pipeline;

/**
 * What a {@link Source} reading in a producer process hands its items to. Used by one reader thread at a time.
 *
 * @param <T> the type of the items.
 */
public interface SourceContext<T> {
    /**
     * Passes one item down the pipeline, tagged with the current {@link #position()}, which then advances by one
     * unless the source sets it with {@link #position(long)} before each item. Blocks while the next queue is
     * full (back-pressure).
     *
     * @param item the item, not null.
     * @throws InterruptedException if the producer is being stopped.
     */
    void emit(T item) throws InterruptedException;

    /**
     * Sets the position of the next item (a line number, a byte offset): what failure records name.
     *
     * @param position the position, not negative.
     */
    void position(long position);

    /** @return the position of the next item (0-based item index unless the source sets it). */
    long position();

    /**
     * Reports bytes read from the source, for the progress display.
     *
     * @param bytes bytes just read, not negative.
     */
    void addBytesRead(long bytes);
}
