package dev.forklift.pool.internal;

import dev.forklift.pool.RetryPolicy;
import dev.forklift.pool.WorkerCrashedException;
import dev.forklift.process.ExitStatus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Worker deaths for the {@link Master}: notes each exit in the {@link DeathQueue}, and, once the master has read
 * past every result frame the worker sent before dying, takes its unfinished tasks back; so a worker that exited
 * cleanly with all its results sent is never taken for crashed. A retiring worker's clean exit and a death
 * the pool caused (timeout) charge nothing; a crash is triaged ({@link CrashTriage}): the one input that may have
 * been running is charged an attempt and retried or failed per the {@link RetryPolicy}, or else the suspects are
 * re-sent as isolated single-input tasks without charge. The rest go back to the front of the pending queue.
 * Repeated initializer failures break the pool. Internal; not API.
 *
 * <p>Threads and lock: {@link #onExit} is called by whichever thread completes a worker's exit future; it takes
 * the master's lock (the one {@link ReentrantLock}, shared here). {@link #handleDeaths} is called only by the
 * master's <em>collector</em> thread with that lock held. The lock guards the death queue, the roster, the
 * workers' and jobs' state, the pending queue, the running map, the spawner's counters, the counters and
 * {@link #initializerFailures}. Nothing blocks but on the lock; failure deliveries are queued on the caller's
 * {@code completions}.
 */
final class DeathHandler {
    /** Breaks the pool (the master's {@code breakPool}); called with the lock held. */
    interface PoolBreaker {
        void breakPool(RuntimeException cause, List<Job> unfinished, List<Runnable> completions);
    }

    private static final int MAX_INITIALIZER_FAILURES = 3;

    private final ReentrantLock lock;
    private final Condition changed;
    private final ArrayDeque<Job> pending;
    private final Map<Long, Job> running;
    private final WorkerRoster workers;
    private final DeathQueue deaths;
    private final WorkerSpawner spawner;
    private final WorkerTransport transport;
    private final RetryPolicy policy;
    private final PoolCounters counters;
    private final ResultCollector results;
    private final LongSupplier jobIds;
    /** True once the pool stopped; read with the lock held. */
    private final BooleanSupplier stopped;
    /** Starts replacement workers as needed; run with the lock held. */
    private final Runnable scheduleSpawn;
    private final PoolBreaker breaker;
    /** Workers that died because their initializer failed; guarded by the lock. */
    private int initializerFailures;

    /** Takes the master's lock, its condition and the state they guard; see the class comment. */
    DeathHandler(final ReentrantLock lock, final Condition changed, final ArrayDeque<Job> pending,
        final Map<Long, Job> running, final WorkerRoster workers, final DeathQueue deaths, final WorkerSpawner spawner,
        final WorkerTransport transport, final RetryPolicy policy, final PoolCounters counters,
        final ResultCollector results, final LongSupplier jobIds, final BooleanSupplier stopped,
        final Runnable scheduleSpawn, final PoolBreaker breaker) {
        this.lock = lock;
        this.changed = changed;
        this.pending = pending;
        this.running = running;
        this.workers = workers;
        this.deaths = deaths;
        this.spawner = spawner;
        this.transport = transport;
        this.policy = policy;
        this.counters = counters;
        this.results = results;
        this.jobIds = jobIds;
        this.stopped = stopped;
        this.scheduleSpawn = scheduleSpawn;
        this.breaker = breaker;
    }

    /**
     * A worker's process exited (lock not held; takes it): queue its death until the master has read past every
     * result frame it sent, then have the transport give up at once what the worker held of the result stream.
     */
    void onExit(final WorkerState worker, final ExitStatus status) {
        lock.lock();
        try {
            worker.exited = true;
            worker.exitStatus = status;
            deaths.exited(worker, transport.resultsMark());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        transport.repairAfterDeath(worker.channel.pid());
    }

    /**
     * Lock held, collector thread: handles the deaths whose worker's results have all been read.
     *
     * @param completions where failure deliveries are queued, to run after the lock is released.
     */
    void handleDeaths(final List<Runnable> completions) {
        for (final WorkerState worker : deaths.ready(transport::resultsReadPast)) {
            handleDeath(worker, completions);
        }
    }

    private void handleDeath(final WorkerState worker, final List<Runnable> completions) {
        workers.remove(worker);
        worker.channel.release();
        final List<Job> unfinished = new ArrayList<>(worker.jobs);
        worker.jobs.clear();
        worker.framesInFlight = 0;
        for (final Job job : unfinished) {
            running.remove(job.id);
        }
        final ExitStatus status = worker.exitStatus;
        final boolean clean = worker.retiring && status.isSuccess() && unfinished.isEmpty();
        countExit(worker, status, clean, unfinished.size());
        if (stopped.getAsBoolean()) {
            return;
        }
        if (clean) {
            PoolLog.workerRetired(worker.channel);
        } else if (worker.killedByPool) {
            PoolLog.workerEndedByPool(worker.channel, status, unfinished.size());
        } else {
            PoolLog.workerCrashed(worker.channel, status, unfinished.size());
        }
        if (!clean && !worker.killedByPool) {
            counters.crashes++;
            spawner.crashed();
            if (status.failure().isPresent()
                && InitializerFailedException.class.getName().equals(status.failure().get().remoteClassName())) {
                if (++initializerFailures >= MAX_INITIALIZER_FAILURES) {
                    breaker.breakPool(status.failure().get(), unfinished, completions);
                    return;
                }
            }
        }
        final List<Job> requeue = new ArrayList<>();
        int from = 0;
        if (!unfinished.isEmpty() && !worker.killedByPool && !clean) {
            final Job first = unfinished.get(0);
            final int end = CrashTriage.suspects(unfinished);
            if (CrashTriage.isExact(unfinished, end)) {
                charge(first, worker, status, requeue, completions);
            } else {
                for (int i = 0; i < end; i++) {
                    requeue.addAll(unfinished.get(i).splitRemaining(jobIds));
                }
            }
            from = end;
        }
        for (int i = from; i < unfinished.size(); i++) {
            final Job job = unfinished.get(i);
            requeue.addAll(job.delivered > 0 ? job.splitRemaining(jobIds) : List.of(job));
        }
        for (int i = requeue.size() - 1; i >= 0; i--) {
            final Job job = requeue.get(i);
            if (job.cancelled) {
                continue; // its future was cancelled: nobody waits for it
            }
            job.worker = null;
            pending.addFirst(job);
        }
        scheduleSpawn.run();
        changed.signalAll();
    }

    /** The one input a dead worker was running: retry it, or fail it, per the policy. */
    private void charge(final Job job, final WorkerState worker, final ExitStatus status, final List<Job> requeue,
        final List<Runnable> completions) {
        job.charged++;
        counters.attemptEnded(job, "crashed", worker.channel.pid());
        if (policy.retriesCrashes() && job.charged < policy.maxAttempts()) {
            PoolLog.retry(worker.channel, "it died", job.charged, policy.maxAttempts());
            counters.retries++;
            counters.retriedCrash++;
            job.isolated = true;
            requeue.addAll(job.delivered > 0 ? job.splitRemaining(jobIds) : List.of(job));
            return;
        }
        final int index = job.delivered;
        final int signal = status.signal().orElse(-1);
        final WorkerCrashedException crash = new WorkerCrashedException(worker.channel.name(), worker.channel.pid(),
            status.exitCode(), signal, job.charged, job.inputs[index], worker.unresponsive,
            worker.channel.systemExitCalled());
        job.failUndelivered(crash, completions, failed -> results.recordFailure(job, failed, job.charged, crash,
            worker, OptionalInt.of(status.exitCode()), status.signal(), completions));
    }

    /** Lock held: counts the worker's exit by cause and records it for the flight recorder. */
    private void countExit(final WorkerState worker, final ExitStatus status, final boolean clean,
        final int unfinishedTasks) {
        final String cause;
        if (stopped.getAsBoolean()) {
            cause = "stopped";
            counters.exitsStopped++;
        } else if (worker.unresponsive != null) {
            cause = "heartbeat";
            counters.exitsHeartbeat++;
        } else if (worker.killedByPool) {
            cause = "timeout";
            counters.exitsTimeout++;
        } else if (clean) {
            cause = "retired";
            counters.exitsRetired++;
        } else {
            cause = "crash";
            counters.exitsCrash++;
        }
        PoolEvents.workerExited(counters.poolName, worker.channel.name(), worker.channel.pid(), cause,
            status.exitCode(), status.signal().orElse(-1), unfinishedTasks);
    }
}
