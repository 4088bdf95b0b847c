package dev.forklift.pool.internal;

import dev.forklift.process.ExitStatus;

import java.util.ArrayDeque;
import java.util.BitSet;

/** The master's view of one worker. Mutable state guarded by the pool's lock. Internal; not API. */
final class WorkerState {
    final int id;
    final WorkerChannel channel;
    /** Tasks sent and not finished, in the order sent (which is the order the worker runs them). */
    final ArrayDeque<Job> jobs = new ArrayDeque<>();
    final BitSet functionsSent = new BitSet();
    int framesInFlight;
    int tasksAssigned;
    /** No more tasks: recycled after maxTasksPerWorker, or asked to stop. */
    boolean retiring;
    /** Killed by the pool (task timeout); its death is not a crash. */
    boolean killedByPool;
    boolean exited;
    /** The dispatcher is sending this worker a frame (outside the lock): only it may end the worker's inbox. */
    boolean sending;
    /** Recycled while a frame was being sent: the dispatcher ends the inbox once the send is done. */
    boolean finishAfterSend;
    /** The heartbeat value last seen ({@link HeartbeatMonitor}). */
    long lastHeartbeatEpochMs;
    /** When {@link #lastHeartbeatEpochMs} was seen to change, {@link System#nanoTime()}. */
    long heartbeatSeenNs;
    /** Set when the pool killed the worker for a stale heartbeat: its death is a crash with this cause. */
    dev.forklift.pool.WorkerUnresponsiveException unresponsive;
    ExitStatus exitStatus;

    WorkerState(final int id, final WorkerChannel channel) {
        this.id = id;
        this.channel = channel;
    }

    boolean acceptsWork(final int maxFrames) {
        return !exited && !retiring && !killedByPool && unresponsive == null && framesInFlight < maxFrames;
    }
}
