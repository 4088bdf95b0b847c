package dev.forklift.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A pool's worker process exited and its death was handled. Committed in the parent; never blocks. */
@Name("dev.forklift.WorkerExit")
@Label("Worker Exit")
@Category({"Forklift", "Pool"})
@Description("A pool's worker exited: retired, stopped, crash, heartbeat (killed as silent) or timeout (killed)")
@StackTrace(false)
public final class WorkerExitEvent extends Event {
    /** The pool's name. */
    @Label("Pool")
    public String pool;
    /** The worker's name. */
    @Label("Worker")
    public String worker;
    /** The worker's pid. */
    @Label("Worker Pid")
    public long workerPid;
    /** retired, stopped, crash, heartbeat or timeout. */
    @Label("Cause")
    public String cause;
    /** The exit code (128 + signal when killed by one). */
    @Label("Exit Code")
    public int exitCode;
    /** The signal that killed it, or -1. */
    @Label("Signal")
    public int signal;
    /** Tasks it had not finished. */
    @Label("Unfinished Tasks")
    public int unfinishedTasks;
}
