package dev.forklift.queue;

import dev.forklift.ForkliftException;

/** An item's encoded form is larger than the queue's maximum message size; the item was not added. */
public class MessageTooLargeException extends ForkliftException {
    private static final long serialVersionUID = 1L;
    /** Where the maximum is set: a queue is built by a user's builder, a pool's or a pipeline's. */
    private static final String HINT = " (set by maxMessageBytes of the builder that made the queue: QueueBuilder,"
        + " PoolBuilder or PipelineBuilder)";

    /**
     * @param queueName       the queue.
     * @param lengthBytes     the encoded size when known, or -1.
     * @param maxMessageBytes the queue's maximum.
     */
    public MessageTooLargeException(final String queueName, final long lengthBytes, final int maxMessageBytes) {
        super("message " + (lengthBytes >= 0 ? "of " + lengthBytes + " bytes " : "")
            + "is larger than the maximum of queue '" + queueName + "': maxMessageBytes=" + maxMessageBytes + HINT);
    }

    /**
     * For an item whose encoding ran past the maximum (its full size is not measured).
     *
     * @param queueName       the queue.
     * @param itemType        the item's class name.
     * @param maxMessageBytes the queue's maximum.
     */
    public MessageTooLargeException(final String queueName, final String itemType, final int maxMessageBytes) {
        super("a " + itemType + " encodes to more than the maximum message of queue '" + queueName
            + "': maxMessageBytes=" + maxMessageBytes + HINT);
    }
}
