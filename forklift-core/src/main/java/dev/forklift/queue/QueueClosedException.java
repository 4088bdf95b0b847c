package dev.forklift.queue;

import dev.forklift.ForkliftException;

/** An item was offered to a queue whose stream was already closed; the item was not added. */
public class QueueClosedException extends ForkliftException {
    private static final long serialVersionUID = 1L;

    /** @param queueName the name of the closed queue. */
    public QueueClosedException(final String queueName) {
        super("queue '" + queueName + "' is closed: no more items may be put on it");
    }
}
