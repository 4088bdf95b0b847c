package dev.forklift.pool.internal;

import dev.forklift.pool.RetryPolicy;
import dev.forklift.pool.TaskTimeoutException;
import dev.forklift.pool.WorkerUnresponsiveException;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The {@link Master}'s checks on live workers: task timeouts, timed from each task's start in its worker (kill
 * the worker, then retry or fail the task per the {@link RetryPolicy}), silent workers (stale heartbeat: kill), and fat ones (resident set over the limit:
 * recycle). A worker killed here dies like any other; its death is then handled by the master. Internal; not API.
 *
 * <p>Threads and lock: every method is called only by the master's <em>collector</em> thread.
 * {@link #checkTimeouts} and {@link #killSilentWorkers} are called with the master's lock (the one
 * {@link ReentrantLock}, shared here) held; {@link #checkResidentSets} is called without it, reads resident sets
 * without it, and takes it to pick the workers due and to recycle one. The lock guards the roster, the workers'
 * and jobs' state, the pending queue, the running map and the counters. Nothing blocks but on the lock (killing a
 * worker only signals it); failure deliveries are queued on the caller's {@code completions}.
 */
final class WorkerHealth {
    private static final int SIGKILL = 9;

    private final ReentrantLock lock;
    private final Condition changed;
    private final ArrayDeque<Job> pending;
    private final Map<Long, Job> running;
    private final WorkerRoster workers;
    private final PoolConfig config;
    private final RetryPolicy policy;
    private final long timeoutNs;
    private final PoolCounters counters;
    private final ResultCollector results;
    /** True once the pool stopped; read with the lock held. */
    private final BooleanSupplier stopped;
    /** Starts replacement workers as needed; run with the lock held. */
    private final Runnable scheduleSpawn;

    /** Takes the master's lock, its condition and the state they guard; see the class comment. */
    WorkerHealth(final ReentrantLock lock, final Condition changed, final ArrayDeque<Job> pending,
        final Map<Long, Job> running, final WorkerRoster workers, final PoolConfig config,
        final PoolCounters counters, final ResultCollector results, final BooleanSupplier stopped,
        final Runnable scheduleSpawn) {
        this.lock = lock;
        this.changed = changed;
        this.pending = pending;
        this.running = running;
        this.workers = workers;
        this.config = config;
        this.policy = config.retryPolicy();
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(config.taskTimeoutMs());
        this.counters = counters;
        this.results = results;
        this.stopped = stopped;
        this.scheduleSpawn = scheduleSpawn;
    }

    /**
     * Lock held: kills each worker whose running task ran past its timeout (per input of the task), timed from
     * the task's start in the worker ({@link TaskClock}), and retries or fails that task.
     */
    void checkTimeouts(final List<Runnable> completions) {
        final long now = System.nanoTime();
        for (final WorkerState worker : workers.all()) {
            if (worker.jobs.isEmpty() || worker.exited || worker.killedByPool) {
                continue;
            }
            final Job job = TaskClock.runningTask(worker, worker.channel.workStamp(), running, now);
            if (job != null && now - job.startedNs > timeoutNs * Math.max(1, job.count)) {
                worker.killedByPool = true;
                PoolLog.timedOut(worker.channel, config.taskTimeoutMs());
                counters.timeouts++;
                counters.attemptEnded(job, "timeout", worker.channel.pid());
                worker.jobs.remove(job);
                running.remove(job.id);
                job.charged++;
                if (policy.retriesTimeouts() && job.charged < policy.maxAttempts()) {
                    PoolLog.retry(worker.channel, "timed out", job.charged, policy.maxAttempts());
                    counters.retries++;
                    counters.retriedTimeout++;
                    job.worker = null;
                    pending.addFirst(job);
                } else {
                    final TaskTimeoutException timeout = new TaskTimeoutException(worker.channel.name(),
                        worker.channel.pid(), config.taskTimeoutMs(), job.charged, job.inputs[job.delivered]);
                    job.failUndelivered(timeout, completions, failed -> results.recordFailure(job, failed,
                        job.charged, timeout, worker, OptionalInt.empty(), OptionalInt.of(SIGKILL), completions));
                    counters.tasksCompleted++;
                }
                worker.channel.killNow();
                // The replacement starts now: the death itself is handled once the worker's results are read.
                scheduleSpawn.run();
                changed.signalAll();
            }
        }
    }

    /** Lock held: kills every running worker whose heartbeat is stale; its death is then handled as a crash. */
    void killSilentWorkers() {
        for (final WorkerRoster.Silent silent : workers.findSilent(System.nanoTime())) {
            final WorkerState worker = silent.worker();
            worker.unresponsive = new WorkerUnresponsiveException(worker.channel.name(), worker.channel.pid(),
                silent.silentMs(), config.heartbeatTimeoutMs());
            PoolLog.silent(worker.channel, silent.silentMs(), config.heartbeatTimeoutMs());
            counters.heartbeatKills++;
            worker.channel.killNow();
            changed.signalAll();
        }
    }

    /**
     * Lock not held: reads the resident set of each worker that finished a task (outside the lock) and recycles
     * the fat ones (under it).
     */
    void checkResidentSets() {
        final List<WorkerState> due;
        lock.lock();
        try {
            due = workers.takeRssDue();
        } finally {
            lock.unlock();
        }
        for (final WorkerState worker : due) {
            if (workers.overRssLimit(worker)) {
                lock.lock();
                try {
                    recycle(worker);
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * Lock held: sends the worker no more tasks; it finishes those it has and exits, and a fresh worker takes its
     * place.
     */
    private void recycle(final WorkerState worker) {
        if (stopped.getAsBoolean() || worker.exited || worker.retiring || worker.killedByPool
            || worker.unresponsive != null) {
            return;
        }
        worker.retiring = true;
        PoolLog.recycled(worker.channel);
        counters.memoryRecycles++;
        if (worker.sending) {
            worker.finishAfterSend = true;
        } else {
            worker.channel.finish();
        }
        scheduleSpawn.run();
        changed.signalAll();
    }
}
