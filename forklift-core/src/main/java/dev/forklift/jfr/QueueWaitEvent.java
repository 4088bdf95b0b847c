package dev.forklift.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/**
 * A put that waited on a full queue or a take that waited on an empty one, recorded when the wait lasted longer
 * than the threshold (1 ms unless the recording's settings say otherwise). Created only on the queue's waiting
 * path, by the waiting thread; never blocks.
 */
@Name("dev.forklift.QueueWait")
@Label("Queue Wait")
@Category({"Forklift", "Queue"})
@Description("A put waited on a full queue or a take on an empty one")
@Threshold("1 ms")
public final class QueueWaitEvent extends Event {
    /** The queue's name. */
    @Label("Queue")
    public String queue;
    /** put or take. */
    @Label("Operation")
    public String operation;
    /** Whether the wait ended at its deadline without a slot. */
    @Label("Timed Out")
    public boolean timedOut;
}
