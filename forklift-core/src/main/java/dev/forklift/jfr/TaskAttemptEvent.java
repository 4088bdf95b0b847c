package dev.forklift.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One attempt of a pool task (a chunk of inputs counts once) that ended: completed, timed out, crashed or retried.
 * Committed by the pool's collector thread in the parent, with the pool's lock held; never blocks.
 */
@Name("dev.forklift.TaskAttempt")
@Label("Task Attempt")
@Category({"Forklift", "Pool"})
@Description("An attempt of a pool task ended: completed, failed, timeout, crashed or retried")
@StackTrace(false)
public final class TaskAttemptEvent extends Event {
    /** The pool's name. */
    @Label("Pool")
    public String pool;
    /** The task id (unique in the pool). */
    @Label("Task Id")
    public long taskId;
    /** The attempt number, from 1. */
    @Label("Attempt")
    public int attempt;
    /** Inputs in the task. */
    @Label("Inputs")
    public int inputs;
    /** The worker's pid, or -1. */
    @Label("Worker Pid")
    public long workerPid;
    /** completed, timeout, crashed or retried. */
    @Label("Outcome")
    public String outcome;
    /** From the dispatch of the attempt to its end, nanoseconds. */
    @Label("Run Time")
    @Timespan(Timespan.NANOSECONDS)
    public long runNanos;
    /** The size of the task's encoded inputs. */
    @Label("Payload")
    @DataAmount
    public long payloadBytes;
}
