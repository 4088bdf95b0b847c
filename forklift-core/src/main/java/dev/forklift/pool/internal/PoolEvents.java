package dev.forklift.pool.internal;

import dev.forklift.jfr.WorkerExitEvent;
import dev.forklift.jfr.WorkerStartEvent;

import jdk.jfr.FlightRecorder;

/**
 * Writes the pool's worker flight-recorder events (the task attempts are written by {@link PoolCounters}). Called
 * by the master's threads; nothing blocks, and nothing is allocated past escape analysis when no recording is on.
 *
 * <p>No event object is made while the flight recorder is not initialised ({@link #recorderOn()}): no recording
 * can be on then, and on JDK 17 the first event object of a JVM initialises the recorder's metadata and generates
 * code (hundreds of ms of CPU), which a pool paid on its start path. Internal; not API.
 */
final class PoolEvents {
    private PoolEvents() {
    }

    /**
     * @return whether the flight recorder is initialised, the condition for any recording to be on; a static read
     *     that loads one class, never the recorder.
     */
    static boolean recorderOn() {
        return FlightRecorder.isInitialized();
    }

    static void workerStarted(final String pool, final String worker, final long pid) {
        if (!recorderOn()) {
            return;
        }
        final WorkerStartEvent event = new WorkerStartEvent();
        if (event.isEnabled()) {
            event.pool = pool;
            event.worker = worker;
            event.workerPid = pid;
            event.commit();
        }
    }

    static void workerExited(final String pool, final String worker, final long pid, final String cause,
        final int exitCode, final int signal, final int unfinishedTasks) {
        if (!recorderOn()) {
            return;
        }
        final WorkerExitEvent event = new WorkerExitEvent();
        if (event.isEnabled()) {
            event.pool = pool;
            event.worker = worker;
            event.workerPid = pid;
            event.cause = cause;
            event.exitCode = exitCode;
            event.signal = signal;
            event.unfinishedTasks = unfinishedTasks;
            event.commit();
        }
    }
}
