package dev.forklift.pool.internal;

import dev.forklift.jfr.WorkerExitEvent;
import dev.forklift.jfr.WorkerStartEvent;

/**
 * Writes the pool's worker flight-recorder events (the task attempts are written by {@link PoolCounters}). Called
 * by the master's threads; nothing blocks, and nothing is allocated past escape analysis when no recording is on.
 * Internal; not API.
 */
final class PoolEvents {
    private PoolEvents() {
    }

    static void workerStarted(final String pool, final String worker, final long pid) {
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
