package dev.forklift.queue;

import dev.forklift.ForkliftException;

/**
 * A taker asked for an item after the queue was closed and every item put before the close was taken: the
 * stream is over. Iterating a queue ({@link Queue#iterator()}, {@link Queue#stream()}) ends quietly instead.
 */
public class EndOfStreamException extends ForkliftException {
    private static final long serialVersionUID = 1L;

    /** @param queueName the name of the drained queue. */
    public EndOfStreamException(final String queueName) {
        super("queue '" + queueName + "' is closed and drained: end of stream");
    }
}
