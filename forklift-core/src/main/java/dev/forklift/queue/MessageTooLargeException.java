package dev.forklift.queue;

import dev.forklift.ForkliftException;

/** An item's encoded form is larger than the queue's maximum message size; the item was not added. */
public class MessageTooLargeException extends ForkliftException {
    private static final long serialVersionUID = 1L;
    private static final String HINT = " (the queue's builder sets it: maxMessageBytes)";

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
