package dev.forklift.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A pool adopted a newly started worker process. Committed in the parent; never blocks. */
@Name("dev.forklift.WorkerStart")
@Label("Worker Start")
@Category({"Forklift", "Pool"})
@Description("A pool's worker process started and was adopted")
@StackTrace(false)
public final class WorkerStartEvent extends Event {
    /** The pool's name. */
    @Label("Pool")
    public String pool;
    /** The worker's name. */
    @Label("Worker")
    public String worker;
    /** The worker's pid. */
    @Label("Worker Pid")
    public long workerPid;
}
