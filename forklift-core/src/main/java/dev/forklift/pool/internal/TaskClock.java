package dev.forklift.pool.internal;

import dev.forklift.process.WorkStamp;

import java.util.Map;

/**
 * Which task a worker runs now, and since when: read from the worker's work stamp ({@link WorkerChannel#workStamp()}),
 * which the worker writes when it starts an isolated task (the task's id), when it has written that task's results
 * (the id negated) and while its initializer runs ({@link #INITIALIZING}). So a task is timed from its start in
 * the worker, never from when it was sent nor from when the result of the task before it arrived: results that
 * wait in the result queue (behind a torn slot, or a slow producer) do not count against the task after them.
 * Pure functions over the master's state; called by the collector with the pool's lock held. Internal; not API.
 */
final class TaskClock {
    /** The work stamp of a worker whose initializer runs: the task it was sent first is timed from then. */
    static final long INITIALIZING = Long.MIN_VALUE;

    private TaskClock() {
    }

    /**
     * @param worker  a live worker.
     * @param stamp   its work stamp, just read.
     * @param running the master's running tasks by id.
     * @param nowNs   {@link System#nanoTime()} now.
     * @return the task of this worker that runs now, with {@link Job#startedNs} set (the first time it is seen:
     *         the worker's stamp, kept between the task's dispatch and now, so a clock that differs between the
     *         processes cannot push it out of that range); null when the worker runs none of its tasks (it is
     *         idle, between tasks, or sending results).
     */
    static Job runningTask(final WorkerState worker, final WorkStamp stamp, final Map<Long, Job> running,
        final long nowNs) {
        final Job job;
        if (stamp.unit() > 0) {
            job = running.get(stamp.unit());
            if (job == null || job.worker != worker) {
                return null;
            }
        } else if (stamp.unit() == INITIALIZING) {
            job = worker.jobs.peekFirst();
            if (job == null) {
                return null;
            }
        } else {
            return null;
        }
        if (!job.startSeen) {
            job.startSeen = true;
            job.startedNs = nowNs - stamp.nanoTime() < 0 ? nowNs
                : stamp.nanoTime() - job.dispatchedNs < 0 ? job.dispatchedNs : stamp.nanoTime();
        }
        return job;
    }
}
