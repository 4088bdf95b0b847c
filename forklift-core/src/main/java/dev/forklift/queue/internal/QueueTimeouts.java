package dev.forklift.queue.internal;

import java.io.Serializable;

/**
 * The time limits of one queue, chosen by its creator; they travel with the queue to every process that
 * attaches.
 *
 * @param repairAfterNs  how long a waiter stays stuck on a slot before it checks whether the slot's holder died
 *                       (and repairs the slot if so); 0 disables repair.
 * @param stallTimeoutNs how long a producer waits on a full queue with no consumer progress before it fails with
 *                       {@link dev.forklift.queue.QueueStalledException}; 0 waits for ever.
 */
public record QueueTimeouts(long repairAfterNs, long stallTimeoutNs) implements Serializable {
    /** Default repair time: 2 seconds. */
    public static final long DEFAULT_REPAIR_AFTER_NS = 2_000_000_000L;

    /** @return repair after 2 s, no stall timeout. */
    public static QueueTimeouts defaults() {
        return new QueueTimeouts(DEFAULT_REPAIR_AFTER_NS, 0);
    }
}
