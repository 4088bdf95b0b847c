package dev.forklift.queue;

import dev.forklift.ForkliftException;

/**
 * This process held a queue slot (it had claimed it to write an item, or to read one) and another process repaired
 * that slot in the meantime, because it took this process for dead: this process's pid looked dead to it (as it
 * may from another pid namespace). The repair won: the slot was published as torn (a write) or freed for the next
 * lap (a read), and this process's publish or release of it was refused, so the queue's order and counts stay whole.
 * (A process merely stopped right after a claim, before it wrote its pid, does not see this: it finds its slot
 * repaired before writing anything, and claims another.)
 *
 * <p>Thrown by a put or offer (the item was <em>not</em> delivered: it is safe to put it again) and by a take or
 * poll (the item read from the slot was counted as abandoned and is not returned; an in-place reader may have seen
 * it). Nothing else is lost: the queue stays usable.
 */
public class QueueSlotRepairedException extends ForkliftException {
    private static final long serialVersionUID = 1L;

    /**
     * @param queueName the queue.
     * @param position  the position of the slot in the queue's stream.
     * @param whatFor   what the slot was held for and what became of the item, for the message.
     */
    public QueueSlotRepairedException(final String queueName, final long position, final String whatFor) {
        super("queue '" + queueName + "': the slot at position " + position + " was repaired by another process "
            + "that took this one for dead (its pid looked dead to it) while this process held it " + whatFor);
    }
}
