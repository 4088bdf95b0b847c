package dev.forklift.pool.internal;

import dev.forklift.jfr.TaskAttemptEvent;
import dev.forklift.pool.PoolInspector;
import dev.forklift.pool.PoolStats;
import dev.forklift.pool.TaskTimeoutException;
import dev.forklift.pool.WorkerCrashedException;
import dev.forklift.process.internal.CounterBoard;

/**
 * The master's running totals, reported through {@link PoolStats} and, for other processes, copied into this
 * process's {@link CounterBoard} by its flusher (names in {@link PoolInspector#COUNTERS}). Internal; not API.
 *
 * <p>Threads: plain fields, read and written only with the master's lock held (by the dispatcher, the collector,
 * the spawner's callback, the counter board's flusher and callers of {@link Master#stats()}). Nothing blocks.
 */
final class PoolCounters {
    final String poolName;
    long workersStarted;
    long crashes;
    long timeouts;
    long retries;
    long lateDiscarded;
    long tasksCompleted;
    long heartbeatKills;
    long memoryRecycles;
    long failedTasks;

    long submitted;
    long succeeded;
    long failedByException;
    long failedByTimeout;
    long failedByCrash;
    long retriedCrash;
    long retriedTimeout;
    long retriedException;
    long exitsRetired;
    long exitsStopped;
    long exitsCrash;
    long exitsHeartbeat;
    long exitsTimeout;
    long taskCount;
    long taskNanos;

    PoolCounters(final String poolName) {
        this.poolName = poolName;
    }

    /** The totals with the gauges the master passes in; call with the master's lock held. */
    PoolStats snapshot(final int liveWorkers, final int pendingTasks, final int runningTasks,
        final long respawnDelayMs) {
        return new PoolStats(liveWorkers, workersStarted, crashes, timeouts, retries, lateDiscarded, tasksCompleted,
            pendingTasks, runningTasks, respawnDelayMs, heartbeatKills, memoryRecycles, failedTasks);
    }

    /** Lock held: counts a failed input by its cause. */
    void failed(final Throwable error) {
        failedTasks++;
        if (error instanceof TaskTimeoutException) {
            failedByTimeout++;
        } else if (error instanceof WorkerCrashedException) {
            failedByCrash++;
        } else {
            failedByException++;
        }
    }

    /**
     * Lock held: an attempt of the task ended; counts its run time when it completed and records the attempt for
     * the flight recorder.
     */
    void attemptEnded(final Job job, final String outcome, final long workerPid) {
        attemptEnded(job, outcome, workerPid, System.nanoTime());
    }

    /** As {@link #attemptEnded(Job, String, long)}, with the clock read the caller took when the attempt ended. */
    void attemptEnded(final Job job, final String outcome, final long workerPid, final long endedNs) {
        final long runNanos = job.dispatchedNs == 0 ? 0 : Math.max(0, endedNs - job.dispatchedNs);
        if ("completed".equals(outcome)) {
            taskCount++;
            taskNanos += runNanos;
        }
        if (!PoolEvents.recorderOn()) {
            return; // no recording can be on (see PoolEvents)
        }
        final TaskAttemptEvent event = new TaskAttemptEvent();
        if (event.isEnabled()) {
            event.pool = poolName;
            event.taskId = job.id;
            event.attempt = Math.max(1, job.attempt);
            event.inputs = job.count;
            event.workerPid = workerPid;
            event.outcome = outcome;
            event.runNanos = runNanos;
            event.payloadBytes = job.payload == null ? 0 : job.payload.length;
            event.commit();
        }
    }

    /** Lock held: copies the totals and the gauges into the section, in the order of {@link PoolInspector#COUNTERS}. */
    void flush(final CounterBoard.Section section, final int liveWorkers, final int pendingTasks,
        final int runningTasks, final long respawnDelayMs) {
        final long[] values = {submitted, succeeded, failedByException, failedByTimeout, failedByCrash,
            retriedCrash, retriedTimeout, retriedException, runningTasks, pendingTasks, liveWorkers, workersStarted,
            exitsRetired, exitsStopped, exitsCrash, exitsHeartbeat, exitsTimeout, tasksCompleted, taskCount,
            taskNanos, lateDiscarded, memoryRecycles, respawnDelayMs};
        for (int i = 0; i < values.length; i++) {
            section.set(i, values[i]);
        }
    }
}
