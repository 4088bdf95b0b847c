package dev.forklift.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A slot of a queue held by a dead process was repaired: published as torn (a producer died) or released as
 * abandoned (a consumer died). Committed by the repairing thread; never blocks.
 */
@Name("dev.forklift.QueueRepair")
@Label("Queue Repair")
@Category({"Forklift", "Queue"})
@Description("A queue slot held by a dead process was repaired (torn or abandoned)")
@StackTrace(false)
public final class QueueRepairEvent extends Event {
    /** The queue's name. */
    @Label("Queue")
    public String queue;
    /** torn or abandoned. */
    @Label("Kind")
    public String kind;
    /** The slot's position in the queue's stream. */
    @Label("Position")
    public long position;
    /** The pid of the dead holder, or 0 when it had not written it. */
    @Label("Holder Pid")
    public int holderPid;
}
