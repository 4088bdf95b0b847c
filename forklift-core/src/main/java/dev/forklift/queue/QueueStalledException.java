package dev.forklift.queue;

import dev.forklift.ForkliftException;

/**
 * A producer waited on a full queue while no consumer took anything for longer than the queue's stall timeout
 * ({@link QueueBuilder#stallTimeout}): the consumers are stopped, hung or gone. The item was not added.
 */
public class QueueStalledException extends ForkliftException {
    private static final long serialVersionUID = 1L;

    /**
     * @param queueName      the queue.
     * @param stallTimeoutMs the stall timeout that passed.
     * @param capacity       the queue's capacity (it was full).
     */
    public QueueStalledException(final String queueName, final long stallTimeoutMs, final int capacity) {
        super("queue '" + queueName + "' is full (" + capacity + " items) and no consumer has taken an item for "
            + stallTimeoutMs + " ms: stallTimeoutMs=" + stallTimeoutMs + "; are its consumers stopped or gone?");
    }
}
