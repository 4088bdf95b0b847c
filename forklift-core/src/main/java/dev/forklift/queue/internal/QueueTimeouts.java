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

    @java.io.Serial
    private Object writeReplace() {
        return new Form(repairAfterNs, stallTimeoutNs);
    }

    /**
     * The serialized form: an ordinary class, because decoding a record makes a fresh JVM build method handles
     * for its constructor (tens of milliseconds in every process that attaches a queue first).
     */
    private static final class Form implements Serializable {
        private static final long serialVersionUID = 1L;
        private final long repairAfterNs;
        private final long stallTimeoutNs;

        Form(final long repairAfterNs, final long stallTimeoutNs) {
            this.repairAfterNs = repairAfterNs;
            this.stallTimeoutNs = stallTimeoutNs;
        }

        @java.io.Serial
        private Object readResolve() {
            return new QueueTimeouts(repairAfterNs, stallTimeoutNs);
        }
    }
}
